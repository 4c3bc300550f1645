// The flag document must hold a million tenants: loads, answers lookups, and stays small.
// Time and memory are printed (and recorded as test properties), not asserted: CI is shared.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "flags/flag_document.hpp"
#include "flags/resolve.hpp"

namespace switchyard::flags {
namespace {

constexpr std::size_t kTenants = 1'000'000;
constexpr std::array<std::string_view, 5> kStages{"legacy", "shadow", "reads", "new", "final"};

std::string tenant_id(std::size_t i) { return "tenant-" + std::to_string(i); }

std::string million_tenant_document() {
    std::string text = R"({"default_stage": "legacy",
  "rollout": {"stage": "new", "percent": 5, "salt": "wave-1"},
  "tenants": {
)";
    text.reserve(kTenants * 40);
    for (std::size_t i = 0; i < kTenants; ++i) {
        text += "    \"" + tenant_id(i) + "\": {\"stage\": \"";
        text += kStages[i % kStages.size()];
        text += i % 10 == 0 ? "\", \"note\": \"wave 1\"}" : "\"}";
        text += i + 1 < kTenants ? ",\n" : "\n";
    }
    text += "  }\n}\n";
    return text;
}

// Resident set size, from /proc (Linux): what the process really holds.
std::size_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t total_pages = 0;
    std::size_t resident_pages = 0;
    statm >> total_pages >> resident_pages;
    return resident_pages * 4096;
}

TEST(MillionTenants, LoadsAndLooksUp) {
    const std::string text = million_tenant_document();
    const std::size_t rss_before = resident_bytes();
    const auto started = std::chrono::steady_clock::now();
    auto parsed = parse_flag_document(text);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    const std::size_t rss_after = resident_bytes();
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    const auto& flags = **parsed;

    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
    const auto table_mib = flags.tenants().memory_bytes() / (1024.0 * 1024.0);
    const auto rss_mib = (static_cast<double>(rss_after) - rss_before) / (1024.0 * 1024.0);
    std::printf(
        "1M tenants: document %.1f MiB, parse+build %lld ms, table %.1f MiB, RSS +%.1f MiB\n",
        text.size() / (1024.0 * 1024.0), static_cast<long long>(ms), table_mib, rss_mib);
    RecordProperty("parse_ms", std::to_string(ms));
    RecordProperty("table_bytes", std::to_string(flags.tenants().memory_bytes()));

    ASSERT_EQ(flags.tenant_count(), kTenants);
    for (std::size_t i = 0; i < kTenants; i += 997) {
        const auto entry = flags.find(tenant_id(i));
        ASSERT_TRUE(entry) << i;
        EXPECT_EQ(to_string(entry->stage), kStages[i % kStages.size()]);
        EXPECT_EQ(entry->note, i % 10 == 0 ? "wave 1" : "");
        EXPECT_EQ(resolve(flags, tenant_id(i)).why, Why::pinned);
    }
    EXPECT_FALSE(flags.find("tenant-1000000"));
    EXPECT_FALSE(flags.find("tenant-"));
    // Sane means about the size of the ids themselves plus 32 bytes a tenant, not a node each.
    EXPECT_LT(flags.tenants().memory_bytes(), 64U * 1024 * 1024);
    // And what it says is what the process holds: the ids' room reserved for the whole
    // document (40 MB) but filled a third was never mapped.
    EXPECT_LT(rss_after - rss_before, 64U * 1024 * 1024);
}

}  // namespace
}  // namespace switchyard::flags
