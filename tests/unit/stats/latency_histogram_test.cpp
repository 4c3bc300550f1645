#include "stats/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace switchyard::stats {
namespace {

using std::chrono::microseconds;

constexpr double kRelativeError = 1.0 / 32;  // the documented bound: half of a 1/16 bucket

TEST(BucketLayout, EveryBucketHoldsExactlyTheValuesFromItsLowerBoundToTheNext) {
    for (std::size_t i = 0; i + 1 < buckets::kCount; ++i) {
        const auto lower = buckets::lower_bound(i);
        EXPECT_EQ(buckets::lower_bound(i + 1), lower + buckets::width(i)) << "bucket " << i;
        EXPECT_EQ(buckets::index_of(lower), i);
        EXPECT_EQ(buckets::index_of(lower + buckets::width(i) - 1), i);
        EXPECT_LE(buckets::width(i) * 16, std::max<std::uint64_t>(lower, 16)) << "bucket " << i;
    }
}

TEST(BucketLayout, CoversOneMicrosecondToSixtySeconds) {
    EXPECT_EQ(buckets::index_of(0), 0u);
    EXPECT_EQ(buckets::index_of(31), 31u);  // exact below 32 µs
    EXPECT_LT(buckets::index_of(60'000'000), buckets::kCount - 1);
    EXPECT_EQ(buckets::index_of(std::uint64_t{1} << 26), buckets::kCount - 1);
    EXPECT_EQ(buckets::index_of(UINT64_MAX), buckets::kCount - 1);
}

TEST(LatencyHistogram, EmptyReportsZero) {
    const LatencyHistogram histogram;
    EXPECT_EQ(histogram.count(), 0u);
    EXPECT_EQ(histogram.max(), microseconds{0});
    EXPECT_EQ(histogram.percentile(0.5), microseconds{0});
}

TEST(LatencyHistogram, NearestRankOverOneToAHundred) {
    LatencyHistogram histogram;
    for (int i = 1; i <= 100; ++i) histogram.record(microseconds{i});
    struct Case {
        double q;
        std::int64_t micros;  // exact below 32 µs, the bucket midpoint above
    };
    for (const auto [q, micros] : {Case{0.0, 1}, Case{0.01, 1}, Case{0.10, 10}, Case{0.25, 25},
                                   Case{0.5, 51}, Case{0.9, 90}, Case{0.99, 98}, Case{1.0, 100}}) {
        EXPECT_EQ(histogram.percentile(q), microseconds{micros}) << "q=" << q;
    }
    EXPECT_EQ(histogram.max(), microseconds{100});
    EXPECT_EQ(histogram.count(), 100u);
}

TEST(LatencyHistogram, PercentilesNeverExceedMaxAndClampNegativeToZero) {
    LatencyHistogram histogram;
    histogram.record(microseconds{1000});  // bucket [992, 1024): midpoint 1008
    EXPECT_EQ(histogram.percentile(0.5), microseconds{1000});
    histogram.record(microseconds{-5});
    EXPECT_EQ(histogram.percentile(0.0), microseconds{0});
    histogram.record(std::chrono::hours{2});  // past the top bucket: counted, max exact
    EXPECT_EQ(histogram.max(), std::chrono::hours{2});
    EXPECT_EQ(histogram.count(), 3u);
}

// Known distributions, the true nearest-rank percentile from the sorted samples.
struct Distribution {
    std::string name;
    std::function<std::int64_t(std::mt19937_64&)> draw;
};

// Names the case in ctest's list instead of dumping the object's bytes.
void PrintTo(const Distribution& distribution, std::ostream* out) { *out << distribution.name; }

class PercentileAccuracy : public ::testing::TestWithParam<Distribution> {};

TEST_P(PercentileAccuracy, WithinTheDocumentedRelativeError) {
    std::mt19937_64 random{42};
    std::vector<std::int64_t> samples(100'000);
    LatencyHistogram histogram;
    for (auto& sample : samples) {
        sample = GetParam().draw(random);
        histogram.record(microseconds{sample});
    }
    std::sort(samples.begin(), samples.end());
    for (const double q : {0.001, 0.1, 0.5, 0.75, 0.9, 0.99, 0.999, 1.0}) {
        const auto rank = static_cast<std::size_t>(std::ceil(q * samples.size()));
        const auto truth = static_cast<double>(samples[rank - 1]);
        const auto estimate = static_cast<double>(histogram.percentile(q).count());
        EXPECT_LE(std::abs(estimate - truth), truth * kRelativeError)
            << GetParam().name << " q=" << q << " true=" << truth << " estimate=" << estimate;
    }
    EXPECT_EQ(histogram.max(), microseconds{samples.back()});
}

INSTANTIATE_TEST_SUITE_P(
    Distributions, PercentileAccuracy,
    ::testing::Values(
        Distribution{"constant_1ms", [](std::mt19937_64&) { return std::int64_t{1000}; }},
        Distribution{"uniform_1us_to_60s",
                     [](std::mt19937_64& r) {
                         return std::uniform_int_distribution<std::int64_t>{1, 60'000'000}(r);
                     }},
        Distribution{"exponential_mean_2ms",
                     [](std::mt19937_64& r) {
                         return 1 + static_cast<std::int64_t>(
                                        std::exponential_distribution<double>{1.0 / 2000}(r));
                     }},
        Distribution{"lognormal_around_5ms_wide",
                     [](std::mt19937_64& r) {
                         return 1 + static_cast<std::int64_t>(
                                        std::lognormal_distribution<double>{8.5, 1.5}(r));
                     }},
        Distribution{"bimodal_300us_and_40ms",
                     [](std::mt19937_64& r) {
                         const bool slow = std::bernoulli_distribution{0.05}(r);
                         return std::uniform_int_distribution<std::int64_t>{slow ? 35'000 : 250,
                                                                            slow ? 45'000 : 350}(r);
                     }}),
    [](const auto& info) { return info.param.name; });

TEST(LatencyHistogram, MergeIsExactlyRecordingEverythingInOne) {
    std::mt19937_64 random{7};
    std::lognormal_distribution<double> latency{7.0, 2.0};
    LatencyHistogram left, right, both;
    for (int i = 0; i < 20'000; ++i) {
        const microseconds sample{static_cast<std::int64_t>(latency(random))};
        (i % 3 ? left : right).record(sample);
        both.record(sample);
    }
    LatencyHistogram merged = left;
    merged.merge(right);
    EXPECT_EQ(merged, both);
    EXPECT_EQ(merged.count(), 20'000u);
    EXPECT_EQ(merged.max(), std::max(left.max(), right.max()));
    for (const double q : {0.5, 0.9, 0.99}) EXPECT_EQ(merged.percentile(q), both.percentile(q));
}

TEST(LatencyHistogram, BucketAccessRebuildsTheSameHistogram) {
    LatencyHistogram original;
    for (int i = 0; i < 5000; i += 7) original.record(microseconds{i * i});
    LatencyHistogram rebuilt;
    rebuilt.add_buckets([&original](std::size_t i) { return original.bucket_samples(i); });
    rebuilt.raise_max(static_cast<std::uint64_t>(original.max().count()));
    EXPECT_EQ(rebuilt, original);
}

}  // namespace
}  // namespace switchyard::stats
