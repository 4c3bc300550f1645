// The tenants an instance has routed: deduplicated across workers, bounded, listed sorted.
#include "routing/seen_tenants.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace switchyard::routing {
namespace {

TEST(SeenTenants, ListsEachTenantOnceAcrossWorkersSorted) {
    SeenTenants seen(2);
    seen.shard(0).note("globex");
    seen.shard(0).note("acme");
    seen.shard(0).note("acme");
    seen.shard(1).note("acme");
    seen.shard(1).note("");
    const auto listing = seen.list();
    EXPECT_EQ(listing.tenants, (std::vector<std::string>{"acme", "globex"}));
    EXPECT_TRUE(listing.complete);
}

TEST(SeenTenants, StopsAtItsCapacityAndSaysTheListIsIncomplete) {
    SeenTenants seen(1, 2);
    for (const auto* tenant : {"a", "b", "c", "a"}) seen.shard(0).note(tenant);
    const auto listing = seen.list();
    EXPECT_EQ(listing.tenants, (std::vector<std::string>{"a", "b"}));
    EXPECT_FALSE(listing.complete);
}

TEST(SeenTenants, ReadersListWhileWorkersNote) {
    SeenTenants seen(2, 100'000);
    std::vector<std::thread> workers;
    for (std::size_t w = 0; w < 2; ++w) {
        workers.emplace_back([&, w] {
            for (int i = 0; i < 20'000; ++i) seen.shard(w).note("t" + std::to_string(i % 5'000));
        });
    }
    std::size_t last = 0;
    for (int i = 0; i < 50; ++i) {
        const auto size = seen.list().tenants.size();
        EXPECT_GE(size, last);  // a tenant once seen stays seen
        last = size;
    }
    for (auto& worker : workers) worker.join();
    EXPECT_EQ(seen.list().tenants.size(), 5'000u);
}

}  // namespace
}  // namespace switchyard::routing
