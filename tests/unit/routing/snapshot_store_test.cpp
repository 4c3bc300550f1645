#include "routing/snapshot_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "request_fixture.hpp"

namespace switchyard::routing {
namespace {

using namespace std::chrono_literals;
using testing::flags_from;
using testing::routing_from;

TEST(SnapshotStore, StartsEmptyButNeverNull) {
    const SnapshotStore store;
    const auto snapshot = store.current();
    ASSERT_TRUE(snapshot);
    EXPECT_FALSE(snapshot->flags);
    EXPECT_FALSE(snapshot->routing);
    EXPECT_FALSE(snapshot->complete());
    EXPECT_EQ(snapshot->generation, 0U);
}

TEST(SnapshotStore, UpdatesOneHalfAndKeepsTheOther) {
    SnapshotStore store;
    const auto flags = flags_from(R"({"default_stage": "reads"})");
    const auto routing = routing_from("{}");
    store.update_flags(flags);
    EXPECT_EQ(store.current()->flags, flags);
    EXPECT_FALSE(store.current()->routing);
    EXPECT_EQ(store.current()->generation, 1U);
    store.update_routing(routing);
    EXPECT_EQ(store.current()->flags, flags);
    EXPECT_EQ(store.current()->routing, routing);
    EXPECT_TRUE(store.current()->complete());
    EXPECT_EQ(store.current()->generation, 2U);
    const auto newer_flags = flags_from(R"({"default_stage": "new"})");
    store.update_flags(newer_flags);
    EXPECT_EQ(store.current()->flags, newer_flags);
    EXPECT_EQ(store.current()->routing, routing);
    EXPECT_EQ(store.current()->generation, 3U);
}

TEST(SnapshotStore, FlagsAndDoorsChangeInOnePublication) {
    SnapshotStore store;
    const auto routing = routing_from("{}");
    store.update_routing(routing);
    const auto flags = flags_from(R"({"tenants": {"acme": {"stage": "legacy"}}})");
    const auto doors = std::make_shared<const flags::DoorSet>();
    store.update_flags_and_doors(flags, doors);
    EXPECT_EQ(store.current()->flags, flags);
    EXPECT_EQ(store.current()->doors, doors);
    EXPECT_EQ(store.current()->routing, routing);
    EXPECT_EQ(store.current()->generation, 2U);
    // Null flags: only the doors change.
    const auto closed = doors->with({{"acme", 1, "r", "", "", ""}});
    store.update_flags_and_doors(nullptr, closed);
    EXPECT_EQ(store.current()->flags, flags);
    EXPECT_EQ(store.current()->doors, closed);
    EXPECT_EQ(store.current()->generation, 3U);
}

TEST(SnapshotStore, PublishReplacesTheWholeSnapshot) {
    SnapshotStore store;
    store.update_flags(flags_from("{}"));
    const auto snapshot =
        std::make_shared<const Snapshot>(Snapshot{nullptr, routing_from("{}"), 40, nullptr});
    store.publish(snapshot);
    EXPECT_EQ(store.current(), snapshot);
    store.update_flags(flags_from("{}"));
    EXPECT_EQ(store.current()->generation, 41U);
    store.publish(nullptr);
    ASSERT_TRUE(store.current());
    EXPECT_FALSE(store.current()->routing);
}

TEST(SnapshotStore, AHeldSnapshotOutlivesPublications) {
    SnapshotStore store;
    const auto first_flags = flags_from(R"({"tenants": {"acme": {"stage": "new"}}})");
    store.update_flags(first_flags);
    const auto held = store.current();  // a request in flight
    store.update_flags(flags_from("{}"));
    store.update_flags(flags_from("{}"));
    EXPECT_EQ(held->flags, first_flags);
    ASSERT_TRUE(held->flags->find("acme"));
    EXPECT_NE(store.current()->flags, first_flags);
}

// Flags whose free records the thread it ran on.
std::shared_ptr<const flags::FlagSnapshot> flags_freed_into(
    std::atomic<std::thread::id>& freed_on) {
    return std::shared_ptr<const flags::FlagSnapshot>(
        new flags::FlagSnapshot(), [&freed_on](const flags::FlagSnapshot* flags) {
            freed_on = std::this_thread::get_id();
            delete flags;
        });
}

TEST(SnapshotStore, ThePublisherFreesReplacedFlagsOnceRequestThreadsLetGo) {
    std::atomic<std::thread::id> freed_on{};
    SnapshotStore store;
    auto old = flags_freed_into(freed_on);
    store.update_flags(old);
    std::atomic<bool> holding{false}, published{false};
    std::thread request_thread([&] {
        {
            const auto request = store.current();  // and cached by this thread, as a worker's
            holding = true;
            for (int i = 0; i < 10000 && !published; ++i) std::this_thread::sleep_for(1ms);
        }                 // the request ends
        store.current();  // the next request moves to the new snapshot, lets go of the old
    });
    for (int i = 0; i < 10000 && !holding; ++i) std::this_thread::sleep_for(1ms);
    ASSERT_TRUE(holding);
    store.update_flags(flags_from(R"({"default_stage": "new"})"));
    published = true;
    EXPECT_EQ(release_when_unshared(store, std::move(old), 10s), nullptr);
    EXPECT_EQ(freed_on.load(), std::this_thread::get_id()) << "freed by the publisher";
    request_thread.join();
}

// The watcher reads current() to check a change before it publishes it: its own cached
// snapshot must not keep the replaced flags alive (it would wait out its patience, and the
// free would fall to its next reload).
TEST(SnapshotStore, ThePublishersOwnCachedSnapshotDoesNotHoldUpTheFree) {
    std::atomic<std::thread::id> freed_on{};
    SnapshotStore store;
    auto old = flags_freed_into(freed_on);
    store.update_flags(old);
    ASSERT_EQ(store.current()->flags, old);  // cached by this thread
    store.update_flags(flags_from(R"({"default_stage": "new"})"));
    EXPECT_EQ(release_when_unshared(store, std::move(old), 2s), nullptr);
    EXPECT_EQ(freed_on.load(), std::this_thread::get_id()) << "freed by the publisher";
}

// An idle request thread's cache may hold replaced flags past the patience: they come back to
// the publisher, which lets go of them last, on its own thread, and not the request thread at
// its next request.
TEST(SnapshotStore, FlagsHeldPastThePatienceComeBackToThePublisherToFreeLater) {
    std::atomic<std::thread::id> freed_on{};
    const SnapshotStore store;
    auto old = flags_freed_into(freed_on);
    auto held = old;
    auto returned = release_when_unshared(store, std::move(old), 0ms);
    ASSERT_NE(returned, nullptr);
    EXPECT_EQ(freed_on.load(), std::thread::id{}) << "freed while still held";
    std::thread([held = std::move(held)]() mutable { held.reset(); }).join();
    EXPECT_EQ(freed_on.load(), std::thread::id{}) << "freed by the request thread";
    returned.reset();
    EXPECT_EQ(freed_on.load(), std::this_thread::get_id());
}

// The engine's hook, told of every publication once it is visible, and outside the lock: the
// hook reads current() (as the request threads it wakes do), which would never return under it.
TEST(SnapshotStore, EveryPublicationIsToldAfterItIsVisible) {
    SnapshotStore store;
    std::vector<std::uint64_t> seen;
    store.on_publish([&] { seen.push_back(store.current()->generation); });
    store.update_flags(flags_from("{}"));
    store.update_routing(routing_from("{}"));
    store.update_doors(std::make_shared<const flags::DoorSet>());
    store.update_flags_and_doors(nullptr, std::make_shared<const flags::DoorSet>());
    store.publish(nullptr);
    EXPECT_EQ(seen, (std::vector<std::uint64_t>{1, 2, 3, 4, 0}));
}

TEST(SnapshotStore, ManyStoresInOneThreadKeepTheirOwnSnapshots) {
    // More stores than a thread caches: correctness must not depend on the cache size.
    std::vector<std::unique_ptr<SnapshotStore>> stores;
    for (int i = 0; i < 9; ++i) {
        stores.push_back(std::make_unique<SnapshotStore>());
        stores.back()->publish(std::make_shared<const Snapshot>(
            Snapshot{nullptr, nullptr, static_cast<std::uint64_t>(100 + i), nullptr}));
    }
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 9; ++i) {
            EXPECT_EQ(stores[i]->current()->generation, static_cast<std::uint64_t>(100 + i));
        }
    }
    // A store created where another one died starts empty, never with the dead one's snapshot.
    stores[0].reset();
    const SnapshotStore fresh;
    EXPECT_EQ(fresh.current()->generation, 0U);
}

// Readers on several threads see whole snapshots only: each published snapshot pairs a flag
// document of N tenants with a routing config of N routes, so a torn read would show up as a
// mismatch; generations a reader sees never go back.
TEST(SnapshotStore, ReadersOnManyThreadsSeeWholeSnapshotsInOrder) {
    constexpr int kPublications = 60;
    std::vector<std::shared_ptr<const Snapshot>> snapshots;
    for (int n = 1; n <= kPublications; ++n) {
        std::string tenants;
        std::string routes;
        for (int i = 0; i < n; ++i) {
            tenants += (i ? "," : "") + ("\"t" + std::to_string(i) + "\": {\"stage\": \"new\"}");
            routes += (i ? "," : "") +
                      ("{\"prefix\": \"/r" + std::to_string(i) + "/\", \"policy\": \"tenant\"}");
        }
        snapshots.push_back(std::make_shared<const Snapshot>(
            Snapshot{flags_from("{\"tenants\": {" + tenants + "}}"),
                     routing_from("{\"routes\": [" + routes + "]}"), static_cast<std::uint64_t>(n),
                     nullptr}));
    }
    SnapshotStore store;
    store.publish(snapshots.front());
    std::atomic<bool> done{false};
    std::atomic<int> torn{0};
    std::atomic<int> backwards{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 4; ++r) {
        readers.emplace_back([&] {
            std::uint64_t last = 0;
            const auto check = [&] {
                const auto snapshot = store.current();
                if (snapshot->flags->tenant_count() != snapshot->routing->routes.size()) ++torn;
                if (snapshot->generation < last) ++backwards;
                last = snapshot->generation;
            };
            while (!done.load()) check();
            check();  // after the last publication: must see it
            if (last != kPublications) ++backwards;
        });
    }
    for (const auto& snapshot : snapshots) {
        store.publish(snapshot);
        std::this_thread::yield();
    }
    done = true;
    for (auto& reader : readers) reader.join();
    EXPECT_EQ(torn.load(), 0);
    EXPECT_EQ(backwards.load(), 0);
}

}  // namespace
}  // namespace switchyard::routing
