// The watcher keeps the buffers of a big table it replaced for its next reload, so that a
// million tenants' ~55 MB are not mapped afresh and given back every time: a build takes them
// when they fit, gives back what it did not take, and never shows what they held before.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>
#include <utility>

#include "flag_file_dir.hpp"
#include "flags/file_source.hpp"
#include "flags/flag_document.hpp"
#include "flags/reload_pacer.hpp"
#include "flags/tenant_table.hpp"
#include "flags/text_digest.hpp"
#include "still_clock.hpp"
#include "varied_document.hpp"

namespace switchyard::flags {
namespace {

using namespace std::chrono_literals;

// An index of 16 bytes a tenant (2 slots of 8): over 65,536 tenants, a table is big enough to be
// kept.
constexpr std::size_t kBig = 70'000;

class SpareTable : public testing::Test {
  protected:
    void SetUp() override { TenantTable::release_spare(nullptr); }
    void TearDown() override { TenantTable::release_spare(nullptr); }

    // Parsed as on the watcher's thread: paced, with the pacer lent to the thread.
    std::shared_ptr<const FlagSnapshot> parse_on_reload_thread(const std::string& text) {
        pacer_.begin();
        const ReloadPacer::ThreadScope scope(&pacer_);
        auto parsed = parse_flag_document(text, digest_of(text), &pacer_);
        EXPECT_TRUE(parsed.ok()) << parsed.error().message;
        return parsed.ok() ? *parsed : nullptr;
    }
    void free_on_reload_thread(std::shared_ptr<const FlagSnapshot>& flags) {
        const ReloadPacer::ThreadScope scope(&pacer_);
        flags.reset();
    }

    StillClock clock_;
    ReloadPacer pacer_ = pacer_of_steps(clock_);
};

TEST_F(SpareTable, ABigTableReplacedOnAReloadsThreadLendsItsBuffersToTheNextBuild) {
    auto first = parse_on_reload_thread(varied_document(kBig, "final"));
    ASSERT_TRUE(first);
    EXPECT_EQ(TenantTable::spare_bytes(), 0U);
    free_on_reload_thread(first);
    EXPECT_GE(TenantTable::spare_bytes(), kBig * 16) << "its entries, ids and index kept";

    // Other tenants and stages in the same room: nothing of the first may show through.
    auto text = varied_document(kBig - 1000, "legacy");
    for (std::size_t at = text.find("tenant-"); at != std::string::npos;
         at = text.find("tenant-", at + 1)) {
        text.replace(at, 7, "client-");
    }
    const auto second = parse_on_reload_thread(text);
    ASSERT_TRUE(second);
    EXPECT_EQ(TenantTable::spare_bytes(), 0U) << "taken, and what was not taken given back";
    const auto unrecycled = parse_flag_document(text);
    ASSERT_TRUE(unrecycled.ok());
    expect_same_snapshot(**unrecycled, *second);
    EXPECT_FALSE(second->find("tenant-5").has_value());
}

TEST_F(SpareTable, ABuildFarSmallerLeavesTheBigBuffersAloneAndGivesThemBack) {
    auto big = parse_on_reload_thread(varied_document(kBig));
    free_on_reload_thread(big);
    ASSERT_GT(TenantTable::spare_bytes(), 0U);
    const auto small = parse_on_reload_thread(varied_document(500));
    ASSERT_TRUE(small);
    EXPECT_EQ(small->tenants().memory_bytes() < kBig, true)
        << "a small table in small buffers: " << small->tenants().memory_bytes();
    EXPECT_EQ(TenantTable::spare_bytes(), 0U);
}

TEST_F(SpareTable, NothingIsKeptOffAReloadsThreadOrOfASmallTable) {
    auto unpaced = parse_flag_document(varied_document(kBig));
    ASSERT_TRUE(unpaced.ok());
    unpaced.value().reset();  // a request thread letting go last: no pacer here
    EXPECT_EQ(TenantTable::spare_bytes(), 0U);
    auto small = parse_on_reload_thread(varied_document(1000));
    free_on_reload_thread(small);
    EXPECT_EQ(TenantTable::spare_bytes(), 0U);
}

// The watcher keeps the table it replaced until its next reload, or until it has gone without
// one for a while: the memory is bounded in time as well as in size.
TEST_F(SpareTable, TheWatcherGivesAKeptTableBackAfterAWhileWithoutReloads) {
    FlagFileDir dir{"spare-table"};
    const auto path = dir.flag_file();
    std::ofstream(path, std::ios::binary) << varied_document(kBig);
    std::mutex mutex;
    std::shared_ptr<const FlagSnapshot> current;  // the replaced one freed on the watcher
    FileSource source(
        path, 20ms,
        [&](std::shared_ptr<const FlagSnapshot> flags, const FileIdentity&) {
            const std::lock_guard lock(mutex);
            current = std::move(flags);
        },
        [](const Error&) {}, FileSource::Watch::poll_only);
    source.keep_spare_table_for(400ms);
    ASSERT_TRUE(source.load_now().ok());
    source.start();
    { std::ofstream(path.string() + ".next", std::ios::binary) << varied_document(kBig, "final"); }
    std::filesystem::rename(path.string() + ".next", path);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (source.spare_bytes() == 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(5ms);
    }
    ASSERT_GT(source.spare_bytes(), kBig * 16) << "the table it replaced, kept";
    const auto kept_at = std::chrono::steady_clock::now();
    while (source.spare_bytes() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(5ms);
    }
    EXPECT_EQ(source.spare_bytes(), 0U) << "given back after 400 ms without a reload";
    EXPECT_GE(std::chrono::steady_clock::now() - kept_at, 300ms) << "not before";
    source.stop();
}

// Flags still held by an idle request thread when they were replaced (runtime.cpp keeps them
// past the release patience) are let go of by the watcher at a poll once that thread has moved
// on, paced, into its kept buffers: not held until the next reload, which may be hours away.
TEST_F(SpareTable, FlagsHeldPastAReloadAreFreedOnTheWatcherOnceTheirLastReaderLetsGo) {
    FlagFileDir dir{"held-flags"};
    const auto path = dir.flag_file();
    std::ofstream(path, std::ios::binary) << varied_document(kBig);
    std::shared_ptr<const FlagSnapshot> current, held;  // callbacks and idle work never overlap
    std::atomic<int> published{0};
    FileSource source(
        path, 20ms,
        [&](std::shared_ptr<const FlagSnapshot> flags, const FileIdentity&) {
            held = std::exchange(current, std::move(flags));  // as if still in a thread's cache
            ++published;
        },
        [](const Error&) {}, FileSource::Watch::poll_only);
    source.keep_spare_table_for(60s);
    bool freed_off_the_watcher = false;
    source.on_idle([&] {
        if (held && held.use_count() == 1) {
            freed_off_the_watcher = ReloadPacer::on_this_thread() == nullptr;
            held.reset();
        }
    });
    std::shared_ptr<const FlagSnapshot> idle_thread_cache;  // a thread read it, then went idle
    {
        const auto loaded = source.load_now();
        ASSERT_TRUE(loaded.ok());
        idle_thread_cache = *loaded;
    }
    source.start();
    { std::ofstream(path.string() + ".next", std::ios::binary) << varied_document(kBig, "final"); }
    std::filesystem::rename(path.string() + ".next", path);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (published < 2 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(5ms);
    }
    ASSERT_EQ(published, 2);
    std::this_thread::sleep_for(200ms);  // ten polls
    EXPECT_EQ(source.spare_bytes(), 0U) << "nothing freed while a reader holds it";

    idle_thread_cache.reset();  // its next request moved its cache on
    while (source.spare_bytes() == 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(5ms);
    }
    EXPECT_GT(source.spare_bytes(), kBig * 16) << "freed on the watcher into its kept buffers";
    source.stop();
    EXPECT_FALSE(freed_off_the_watcher) << "with the watcher's pacer lent to its thread";
}

}  // namespace
}  // namespace switchyard::flags
