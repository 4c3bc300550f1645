#pragma once
// A flag document with every kind of entry the parser reads (plain ones, its fast path; notes;
// escapes; members in another order; an entry over several lines; a force section), and the
// check that two parses gave the same snapshot: for the tests of the watcher's ways of parsing
// (paced, through a window of the file) against a plain parse of the whole text.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "flags/flag_snapshot.hpp"

namespace switchyard::flags {

inline std::string varied_document(std::size_t tenants, std::string_view last_stage = "new") {
    constexpr std::array<std::string_view, 5> kStages{"legacy", "shadow", "reads", "new", "final"};
    std::string text = R"({"default_stage": "shadow",
  "rollout": {"stage": "reads", "percent": 12.5, "salt": "wave-2"},
  "force": {"tenant-7": "restored from backup", "tenant-8": "ticket OPS-2"},
  "tenants": {
)";
    for (std::size_t i = 0; i < tenants; ++i) {
        const std::string id = "tenant-" + std::to_string(i);
        const auto stage = i + 1 == tenants ? last_stage : kStages[i % kStages.size()];
        text += "    \"" + id + "\": ";
        switch (i % 4) {
            case 0:
                text += R"({"stage": ")" + std::string{stage} + "\"}";
                break;
            case 1:
                text += R"({"stage": ")" + std::string{stage} + R"(", "note": "wave \"1\" )" +
                        std::to_string(i) + "\"}";
                break;
            case 2:
                text += R"({"note": "J\u00f6rg", "stage": ")" + std::string{stage} + "\"}";
                break;
            default:
                text += "{\n      \"stage\" : \"" + std::string{stage} + "\"\n    }";
                break;
        }
        text += i + 1 < tenants ? ",\n" : "\n";
    }
    return text + "  }\n}\n";
}

using TenantEntry = std::tuple<std::string, Stage, std::string>;

inline std::vector<TenantEntry> entries_of(const FlagSnapshot& flags) {
    std::vector<TenantEntry> entries;
    flags.tenants().for_each([&](const TenantFlag& flag) {
        entries.emplace_back(std::string{flag.id}, flag.stage, std::string{flag.note});
    });
    return entries;
}

// Everything a request or an operator could see of the two snapshots is the same.
inline void expect_same_snapshot(const FlagSnapshot& expected, const FlagSnapshot& actual) {
    EXPECT_EQ(actual.content_hash(), expected.content_hash());
    EXPECT_EQ(actual.default_stage(), expected.default_stage());
    EXPECT_EQ(actual.rollout().stage(), expected.rollout().stage());
    EXPECT_EQ(actual.rollout().percent_hundredths(), expected.rollout().percent_hundredths());
    EXPECT_EQ(actual.rollout().salt(), expected.rollout().salt());
    EXPECT_EQ(actual.force_reasons(), expected.force_reasons());
    ASSERT_EQ(actual.tenant_count(), expected.tenant_count());
    const auto entries = entries_of(actual);
    EXPECT_EQ(entries, entries_of(expected));
    for (const auto& [id, stage, note] : entries) {
        const auto found = actual.find(id);
        ASSERT_TRUE(found.has_value()) << id;
        EXPECT_EQ(found->stage, stage) << id;
        EXPECT_EQ(found->note, note) << id;
    }
}

}  // namespace switchyard::flags
