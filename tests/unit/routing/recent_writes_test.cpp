#include "routing/recent_writes.hpp"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::routing {
namespace {

TEST(RecentWrites, ReadsAfterAWriteStayOnLegacyForTheWindow) {
    RecentWrites writes;
    EXPECT_FALSE(writes.wrote_within("acme", 10'000, 2'000));
    writes.record_write("acme", 10'000);
    EXPECT_TRUE(writes.wrote_within("acme", 10'000, 2'000));
    EXPECT_TRUE(writes.wrote_within("acme", 11'999, 2'000));
    EXPECT_FALSE(writes.wrote_within("acme", 12'000, 2'000));
}

TEST(RecentWrites, OtherTenantsAreUnaffectedUnlessTheyShareASlot) {
    RecentWrites writes(1u << 16);
    writes.record_write("acme", 5'000);
    int affected = 0;
    for (int i = 0; i < 1000; ++i) {
        affected += writes.wrote_within("tenant-" + std::to_string(i), 5'000, 2'000);
    }
    EXPECT_LE(affected, 2);  // 1000 tenants, 65536 slots: a collision is rare, never harmful
}

TEST(RecentWrites, MemoryIsFixedWhateverTheTenantCount) {
    RecentWrites writes(1000);
    const auto bytes = writes.memory_bytes();
    EXPECT_EQ(bytes, 1024u * sizeof(std::int64_t));
    for (int i = 0; i < 100'000; ++i) writes.record_write("t" + std::to_string(i), i);
    EXPECT_EQ(writes.memory_bytes(), bytes);
}

}  // namespace
}  // namespace switchyard::routing
