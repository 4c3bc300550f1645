#include "flags/rollout.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>
#include <vector>

#include "flags/hash.hpp"

namespace switchyard::flags {
namespace {

std::vector<std::string> tenant_ids(std::size_t count) {
    std::vector<std::string> ids;
    ids.reserve(count);
    for (std::size_t i = 0; i < count; ++i) ids.push_back("tenant-" + std::to_string(i));
    return ids;
}

// Computed by an independent implementation (Python, from the formula in rollout.hpp). If one
// of these changes, every deployment's cohort reshuffles: that is a breaking change.
TEST(Bucket, IsPinnedAcrossPlatformsAndBuilds) {
    struct Known {
        std::string_view salt;
        std::string_view tenant;
        std::uint32_t bucket;
    };
    constexpr std::array<Known, 10> kKnown{{{"", "acme", 9561},
                                            {"", "globex", 6627},
                                            {"wave-1", "acme", 8212},
                                            {"wave-1", "globex", 8206},
                                            {"wave-1", "initech", 4575},
                                            {"wave-2", "acme", 120},
                                            {"wave-1", "tenant-000001", 1763},
                                            {"wave-1", "a", 5728},
                                            {"salt", "user@example.com", 2331},
                                            {"", "", 1709}}};
    for (const auto& known : kKnown) {
        EXPECT_EQ(bucket(known.salt, known.tenant), known.bucket)
            << known.salt << ":" << known.tenant;
    }
    EXPECT_EQ(fmix64(fnv1a64("acme")), 0x3a25b6656ba9cfc6ULL);
}

TEST(Bucket, HashesTheJoinedBytes) {
    // "a:b:c" is one string whichever way it was split; the cohort depends only on the bytes.
    EXPECT_EQ(bucket("a", "b:c"), bucket("a:b", "c"));
    EXPECT_EQ(bucket("a", "b:c"), fmix64(fnv1a64("a:b:c")) % 10000);
}

TEST(Rollout, ContainsTenantsBelowThePercentage) {
    const Rollout rollout(Stage::new_, 8213, "wave-1");
    EXPECT_TRUE(rollout.contains("acme"));     // bucket 8212
    EXPECT_TRUE(rollout.contains("initech"));  // bucket 4575
    EXPECT_TRUE(Rollout(Stage::new_, 8212 + 1, "wave-1").contains("acme"));
    EXPECT_FALSE(Rollout(Stage::new_, 8212, "wave-1").contains("acme"));
}

TEST(Rollout, ZeroContainsNobodyAndHundredContainsEveryone) {
    const Rollout none(Stage::new_, 0, "s");
    const Rollout all(Stage::new_, 10000, "s");
    for (const auto& id : tenant_ids(2000)) {
        EXPECT_FALSE(none.contains(id));
        EXPECT_TRUE(all.contains(id));
    }
    EXPECT_FALSE(Rollout{}.contains("acme"));
}

// The on-call promise: raising the percentage only ever adds tenants.
TEST(Rollout, RaisingThePercentageNeverRemovesATenant) {
    const auto ids = tenant_ids(5000);
    std::mt19937 random(7);
    std::uniform_int_distribution<std::uint32_t> percent(0, 10000);
    for (int round = 0; round < 200; ++round) {
        auto lower = percent(random);
        auto higher = percent(random);
        if (lower > higher) std::swap(lower, higher);
        const Rollout before(Stage::new_, lower, "wave-1");
        const Rollout after(Stage::new_, higher, "wave-1");
        for (const auto& id : ids) {
            if (before.contains(id)) {
                ASSERT_TRUE(after.contains(id)) << id << " at " << lower << " and " << higher;
            }
        }
    }
}

TEST(Rollout, SizeFollowsThePercentage) {
    const auto ids = tenant_ids(20000);
    for (const std::uint32_t hundredths : {100U, 500U, 2500U, 5000U, 9000U}) {
        const Rollout rollout(Stage::new_, hundredths, "wave-1");
        std::size_t inside = 0;
        for (const auto& id : ids) inside += rollout.contains(id) ? 1 : 0;
        const double expected = ids.size() * hundredths / 10000.0;
        EXPECT_NEAR(static_cast<double>(inside), expected, 0.1 * expected + 30) << hundredths;
    }
}

TEST(Bucket, IsRoughlyUniform) {
    // Chi-square over 100 bins of 100 buckets each; 99 degrees of freedom, p < 0.001 at 148.
    constexpr std::size_t kTenants = 100000;
    std::array<std::size_t, 100> bins{};
    for (std::size_t i = 0; i < kTenants; ++i) {
        ++bins[bucket("wave-1", "t" + std::to_string(i)) / 100];
    }
    const double expected = kTenants / 100.0;
    double chi_square = 0;
    for (const auto count : bins) {
        chi_square += (count - expected) * (count - expected) / expected;
    }
    EXPECT_LT(chi_square, 148.0);
}

TEST(Rollout, ANewSaltReshufflesTheCohort) {
    const auto ids = tenant_ids(4000);
    const Rollout first(Stage::new_, 5000, "wave-1");
    const Rollout second(Stage::new_, 5000, "wave-2");
    std::size_t moved = 0;
    for (const auto& id : ids) moved += first.contains(id) != second.contains(id) ? 1 : 0;
    // Independent halves: about half the tenants change sides.
    EXPECT_NEAR(static_cast<double>(moved), ids.size() / 2.0, ids.size() * 0.1);
}

}  // namespace
}  // namespace switchyard::flags
