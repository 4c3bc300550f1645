#include "flag_table/layout.hpp"

#include <gtest/gtest.h>

#include <set>

namespace switchyard::flag_table {
namespace {

namespace av = dynamo::av;

TEST(LayoutTest, ShardsAreStableAndSpread) {
    // Pinned: a tenant's items are found where earlier builds put them.
    EXPECT_EQ(shard_of("acme"), 6u);
    EXPECT_EQ(shard_of("globex"), 1u);
    EXPECT_EQ(shard_of("initech"), 2u);
    std::set<unsigned> used;
    for (int i = 0; i < 1000; ++i) used.insert(shard_of("tenant-" + std::to_string(i)));
    EXPECT_EQ(used.size(), kShards);
    EXPECT_EQ(shard_partition(7), "shard#07");
    EXPECT_EQ(entry_key("acme")["pk"], av::s(shard_partition(shard_of("acme"))));
    EXPECT_EQ(door_key("acme")["sk"], av::s("door#acme"));
}

TEST(LayoutTest, LogKeysSortAsTheirNumbers) {
    EXPECT_LT(log_sort_key(9), log_sort_key(10));
    EXPECT_LT(log_sort_key(99999), log_sort_key(100000));
    EXPECT_EQ(log_sort_key(42).size(), 20u);
}

TEST(LayoutTest, AuditPartitionsAreMonthsAndGoBackAcrossYears) {
    EXPECT_EQ(audit_partition(1795417751567), "audit#2026-11");
    EXPECT_EQ(previous_audit_partition("audit#2026-11"), "audit#2026-10");
    EXPECT_EQ(previous_audit_partition("audit#2026-01"), "audit#2025-12");
    EXPECT_LT(previous_audit_partition("audit#2026-01"), std::string("audit#2026-01"));
    EXPECT_EQ(audit_sort_key(1795417751567, 3), "2026-11-23T07:09:11.567Z#00000000000000000003");
}

}  // namespace
}  // namespace switchyard::flag_table
