// One writer thread records while one reader thread hammers snapshot(): every report must be
// consistent and counts must only grow. Also built under ThreadSanitizer as unit_stats_tsan
// (cmake -DSWITCHYARD_TSAN=ON).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "stats/stats_registry.hpp"

namespace switchyard::stats {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const Clock::time_point kStart = Clock::time_point{} + 1000h;
#if defined(__SANITIZE_THREAD__)
constexpr int kSnapshots = 200;  // ThreadSanitizer makes each one ~50x slower
#else
constexpr int kSnapshots = 1000;  // enough to catch a missing slot re-check most runs
#endif
constexpr int kMinRecords = 20'000;       // > 5 minutes at 64 a second: the ring wraps
constexpr int kMaxRecords = 100'000'000;  // the writer stops earlier, once the reads are done

RequestSample sample_for(int i) {
    return {.side = i % 3 ? Side::new_ : Side::legacy,
            .stage = static_cast<Stage>(i % 5),
            .tenant_route = i % 7 != 0,
            .status = i % 11 ? 200u : 503u,
            .upstream_error = i % 13 == 0,
            .upstream_latency = std::chrono::microseconds{i % 5000},
            .total_latency = std::chrono::microseconds{i % 7000 + 50}};
}

void expect_consistent(const Traffic& traffic) {
    EXPECT_LE(traffic.errors_5xx(), traffic.requests());
    EXPECT_LE(traffic.upstream_errors, traffic.requests());
    if (traffic.requests() > 0) {
        EXPECT_LE(traffic.latency.percentile(0.99), traffic.latency.max());
    }
}

void expect_consistent(const PeriodStats& period) {
    for (const auto& side : period.sides) expect_consistent(side);
    for (const auto& stage : period.stages) expect_consistent(stage);
}

// Runs `write(more)` on its own thread while this one calls `read` until the writer is done;
// the writer goes on while more() says the reader has not yet done kSnapshots reads, so every
// read overlaps writes. Returns how many reads ran.
template <typename Write, typename Read>
int race(Write write, Read read) {
    std::atomic<int> reads{0};
    std::atomic<bool> writer_started{false}, writer_done{false};
    std::thread writer{[&] {
        writer_started.store(true);
        write([&reads] { return reads.load(std::memory_order_relaxed) < kSnapshots; });
        writer_done.store(true);
    }};
    while (!writer_started.load()) std::this_thread::yield();
    while (!writer_done.load()) {
        read();
        reads.fetch_add(1);
    }
    writer.join();
    return reads.load();
}

TEST(ConcurrentSnapshot, CountsOnlyGrowAndEndExact) {
    StatsRegistry registry{1, kStart};
    const auto now = kStart + 59s;  // the writer stays within this minute: nothing expires
    std::uint64_t last_since_start = 0, last_minute = 0, last_5xx = 0;
    int records = 0;
    const int reads = race(
        [&](auto more) {
            for (; records < kMinRecords || (records < kMaxRecords && more()); ++records) {
                const std::chrono::seconds second{std::min(records / 65'536, 50)};
                registry.worker(0).record(sample_for(records), kStart + second);
            }
        },
        [&] {
            const auto report = registry.snapshot(now);
            const auto total = report.since_start.total();
            EXPECT_GE(total.requests(), last_since_start);
            EXPECT_GE(report.last_minute.total().requests(), last_minute);
            EXPECT_GE(total.errors_5xx(), last_5xx);
            last_since_start = total.requests();
            last_minute = report.last_minute.total().requests();
            last_5xx = total.errors_5xx();
            expect_consistent(report.since_start);
            expect_consistent(report.last_minute);
        });
    EXPECT_GT(reads, 0);
    const auto report = registry.snapshot(now);
    EXPECT_EQ(report.since_start.total().requests(), static_cast<std::uint64_t>(records));
    EXPECT_EQ(report.last_minute, report.since_start);
}

// The writer's clock runs a second every 64 records, so slots are recycled under the reader all
// the time. In even minutes every request is a 500 that took 20 s, in odd ones a 200 that took
// 40 s: a second and the one that recycles its slot 60 s later always differ, so a copy that
// mixed them (one's status counts, the other's latency buckets) would show more 5xx than 20 s
// samples, or more 2xx than 40 s samples.
TEST(ConcurrentSnapshot, RecycledSlotsAreNeverMixed) {
    constexpr int kPerSecond = 64;
    const auto even_bucket = buckets::index_of(20'000'000);
    const auto odd_bucket = buckets::index_of(40'000'000);
    StatsRegistry registry{1, kStart};
    std::atomic<std::int64_t> writer_second{0};
    std::uint64_t last_since_start = 0;
    int records = 0;
    const int reads = race(
        [&](auto more) {
            for (; records < kMinRecords || (records < kMaxRecords && more()); ++records) {
                const std::int64_t second = records / kPerSecond;
                writer_second.store(second, std::memory_order_relaxed);
                const bool even_minute = second / 60 % 2 == 0;
                auto sample = sample_for(records);
                sample.status = even_minute ? 500 : 200;
                sample.total_latency = even_minute ? 20s : 40s;
                registry.worker(0).record(sample, kStart + std::chrono::seconds{second});
            }
        },
        [&] {
            const auto now =
                kStart + std::chrono::seconds{writer_second.load(std::memory_order_relaxed)};
            const auto report = registry.snapshot(now);
            for (const Traffic* traffic :
                 {static_cast<const Traffic*>(&report.last_minute.sides[0]),
                  static_cast<const Traffic*>(&report.last_minute.sides[1]),
                  &report.last_minute.stages[0], &report.last_minute.stages[4]}) {
                EXPECT_LE(traffic->errors_5xx(), traffic->latency.bucket_samples(even_bucket));
                EXPECT_LE(traffic->responses_by_class[1],
                          traffic->latency.bucket_samples(odd_bucket));
            }
            EXPECT_GE(report.since_start.total().requests(), last_since_start);
            last_since_start = report.since_start.total().requests();
            expect_consistent(report.last_minute);
        });
    EXPECT_GT(reads, 0);
    const auto last_second = std::int64_t{(records - 1) / kPerSecond};
    const auto report = registry.snapshot(kStart + std::chrono::seconds{last_second});
    EXPECT_EQ(report.since_start.total().requests(), static_cast<std::uint64_t>(records));
    const auto in_last_second = records - last_second * kPerSecond;
    EXPECT_EQ(report.last_minute.total().requests(),
              static_cast<std::uint64_t>(59 * kPerSecond + in_last_second));
}

}  // namespace
}  // namespace switchyard::stats
