#include "stats/stats_registry.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

namespace switchyard::stats {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const Clock::time_point kStart = Clock::time_point{} + 1000h;

RequestSample tenant_request(Side side, Stage stage, unsigned status = 200,
                             std::chrono::microseconds total = 1ms) {
    return {.side = side,
            .stage = stage,
            .tenant_route = true,
            .status = status,
            .upstream_error = false,
            .upstream_latency = total / 2,
            .total_latency = total};
}

class StatsRegistryTest : public ::testing::Test {
  protected:
    StatsRegistry registry{2, kStart};
    WorkerStats& first = registry.worker(0);
    WorkerStats& second = registry.worker(1);
};

TEST_F(StatsRegistryTest, EmptyReportCountsNothing) {
    const auto report = registry.snapshot(kStart);
    EXPECT_EQ(report.window, 60s);
    EXPECT_EQ(report.since_start, PeriodStats{});
    EXPECT_EQ(report.last_minute, PeriodStats{});
}

TEST_F(StatsRegistryTest, LastMinuteForgetsSamplesOlderThanSixtySecondsSinceStartKeepsThem) {
    first.record(tenant_request(Side::legacy, Stage::legacy), kStart + 500ms);
    struct Case {
        Clock::duration after;
        std::uint64_t last_minute;
    };
    for (const auto [after, last_minute] : {Case{0s, 1}, Case{30s, 1}, Case{59s, 1},
                                            Case{59'999ms, 1}, Case{60s, 0}, Case{3600s, 0}}) {
        const auto report = registry.snapshot(kStart + after);
        EXPECT_EQ(report.last_minute.total().requests(), last_minute)
            << std::chrono::duration_cast<std::chrono::milliseconds>(after).count() << " ms";
        EXPECT_EQ(report.since_start.total().requests(), 1u);
    }
}

TEST_F(StatsRegistryTest, TheWindowSlidesSecondBySecond) {
    for (int s = 0; s < 120; ++s) {
        for (int n = 0; n <= s % 3; ++n) {  // 1, 2, 3, 1, 2, 3, ... requests per second
            first.record(tenant_request(Side::new_, Stage::new_), kStart + std::chrono::seconds{s});
        }
    }
    const auto report = registry.snapshot(kStart + 119s);
    EXPECT_EQ(report.last_minute.sides[index_of(Side::new_)].requests(), 20u * (1 + 2 + 3));
    EXPECT_EQ(report.since_start.sides[index_of(Side::new_)].requests(), 40u * (1 + 2 + 3));
}

TEST_F(StatsRegistryTest, AnIdleWorkersOldSecondsAgeOutWithoutItRecording) {
    first.record(tenant_request(Side::legacy, Stage::legacy), kStart);
    second.record(tenant_request(Side::legacy, Stage::legacy), kStart + 90s);
    const auto report = registry.snapshot(kStart + 90s);
    EXPECT_EQ(report.last_minute.total().requests(), 1u);
    EXPECT_EQ(report.since_start.total().requests(), 2u);
}

TEST_F(StatsRegistryTest, ASampleStampedBeforeTheNewestSecondCountsInIt) {
    first.record(tenant_request(Side::legacy, Stage::legacy), kStart + 100s);
    first.record(tenant_request(Side::legacy, Stage::legacy), kStart + 10s);
    EXPECT_EQ(registry.snapshot(kStart + 159s).last_minute.total().requests(), 2u);
    EXPECT_EQ(registry.snapshot(kStart + 160s).last_minute.total().requests(), 0u);
}

TEST_F(StatsRegistryTest, SidesAndStagesAreCountedApart) {
    struct Case {
        Side side;
        Stage stage;
        bool tenant_route;
        int requests;
    };
    const Case cases[] = {
        {Side::legacy, Stage::legacy, true, 1}, {Side::legacy, Stage::shadow, true, 2},
        {Side::new_, Stage::reads, true, 3},    {Side::legacy, Stage::reads, true, 4},
        {Side::new_, Stage::new_, true, 5},     {Side::new_, Stage::final_, true, 6},
        {Side::new_, Stage::legacy, false, 7},  {Side::legacy, Stage::final_, false, 8}};
    for (const auto& c : cases) {
        auto sample = tenant_request(c.side, c.stage);
        sample.tenant_route = c.tenant_route;
        for (int i = 0; i < c.requests; ++i) (i % 2 ? first : second).record(sample, kStart);
    }
    const auto report = registry.snapshot(kStart);
    for (const auto* period : {&report.last_minute, &report.since_start}) {
        EXPECT_EQ(period->sides[index_of(Side::legacy)].requests(), 1u + 2 + 4 + 8);
        EXPECT_EQ(period->sides[index_of(Side::new_)].requests(), 3u + 5 + 6 + 7);
        EXPECT_EQ(period->stages[index_of(Stage::legacy)].requests(), 1u);  // pinned: no stage
        EXPECT_EQ(period->stages[index_of(Stage::shadow)].requests(), 2u);
        EXPECT_EQ(period->stages[index_of(Stage::reads)].requests(), 3u + 4);
        EXPECT_EQ(period->stages[index_of(Stage::new_)].requests(), 5u);
        EXPECT_EQ(period->stages[index_of(Stage::final_)].requests(), 6u);
        EXPECT_EQ(period->total().requests(), 36u);
    }
}

TEST_F(StatsRegistryTest, FiveHundredsAreStatus500To599AndUpstreamErrorsCountApart) {
    struct Case {
        unsigned status;
        bool upstream_error;
        std::uint64_t errors_5xx;
        std::uint64_t upstream_errors;
        std::size_t status_class;  // kStatusClasses: none
    };
    const Case cases[] = {{200, false, 0, 0, 1},
                          {499, false, 0, 0, 3},
                          {500, false, 1, 0, 4},
                          {503, false, 1, 0, 4},
                          {599, false, 1, 0, 4},
                          {502, true, 1, 1, 4},
                          {600, false, 0, 0, kStatusClasses},
                          {0, true, 0, 1, kStatusClasses},
                          {101, false, 0, 0, 0},
                          {304, false, 0, 0, 2}};
    for (const auto& c : cases) {
        StatsRegistry fresh{1, kStart};
        auto sample = tenant_request(Side::new_, Stage::reads, c.status);
        sample.upstream_error = c.upstream_error;
        fresh.worker(0).record(sample, kStart);
        const auto report = fresh.snapshot(kStart);
        for (const Traffic* traffic : {static_cast<const Traffic*>(&report.last_minute.sides[1]),
                                       &report.since_start.stages[index_of(Stage::reads)]}) {
            EXPECT_EQ(traffic->requests(), 1u) << c.status;
            EXPECT_EQ(traffic->errors_5xx(), c.errors_5xx) << c.status;
            EXPECT_EQ(traffic->upstream_errors, c.upstream_errors) << c.status;
            for (std::size_t i = 0; i < kStatusClasses; ++i) {
                EXPECT_EQ(traffic->responses_by_class[i], i == c.status_class ? 1u : 0u)
                    << c.status << " class " << i;
            }
        }
        EXPECT_EQ(report.last_minute.sides[0], SideTraffic{}) << c.status;
    }
}

TEST_F(StatsRegistryTest, SidesKeepTotalAndUpstreamLatencyStagesTotal) {
    for (int i = 1; i <= 100; ++i) {
        auto sample =
            tenant_request(Side::legacy, Stage::shadow, 200, std::chrono::milliseconds{i});
        sample.upstream_latency = std::chrono::microseconds{i * 100};
        first.record(sample, kStart);
    }
    const auto report = registry.snapshot(kStart);
    const auto& legacy = report.last_minute.sides[index_of(Side::legacy)];
    EXPECT_EQ(legacy.latency.max(), 100ms);
    EXPECT_EQ(legacy.upstream_latency.max(), 10ms);
    EXPECT_NEAR(legacy.latency.percentile(0.5).count(), 50'000, 50'000 / 32);
    EXPECT_NEAR(legacy.upstream_latency.percentile(0.5).count(), 5'000, 5'000 / 32);
    EXPECT_EQ(report.last_minute.stages[index_of(Stage::shadow)].latency, legacy.latency);
    EXPECT_EQ(report.since_start.total().upstream_latency, legacy.upstream_latency);
}

TEST_F(StatsRegistryTest, WorkersMergeExactly) {
    LatencyHistogram expected;
    for (int i = 0; i < 1000; ++i) {
        const std::chrono::microseconds latency{37 * i + 11};
        expected.record(latency);
        (i % 2 ? first : second)
            .record(tenant_request(Side::new_, Stage::new_, 200, latency), kStart + 1s * (i % 50));
    }
    const auto report = registry.snapshot(kStart + 50s);
    EXPECT_EQ(report.last_minute.sides[index_of(Side::new_)].latency, expected);
    EXPECT_EQ(report.since_start.stages[index_of(Stage::new_)].latency, expected);
    EXPECT_EQ(report.uptime, 50s);
}

TEST(WorkerStats, MemoryIsFixedAndUnderAMebibyte) {
    EXPECT_LT(WorkerStats::memory_bytes(), std::size_t{1} << 20);
}

}  // namespace
}  // namespace switchyard::stats
