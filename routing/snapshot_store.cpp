#include "routing/snapshot_store.hpp"

#include <array>
#include <thread>
#include <utility>

namespace switchyard::routing {
namespace {

std::atomic<std::uint64_t> next_store_id{1};

struct CachedSnapshot {
    std::uint64_t store_id = 0;  // 0: unused slot
    std::uint64_t version = 0;
    std::shared_ptr<const Snapshot> snapshot;
};

// A few slots: a process has one store, tests a handful; more stores only cost refreshes.
struct ThreadCache {
    std::array<CachedSnapshot, 4> slots;
    std::size_t next_victim = 0;

    CachedSnapshot& slot_for(std::uint64_t store_id) {
        for (auto& slot : slots) {
            if (slot.store_id == store_id) return slot;
        }
        CachedSnapshot& victim = slots[next_victim];
        next_victim = (next_victim + 1) % slots.size();
        victim = CachedSnapshot{store_id, 0, nullptr};
        return victim;
    }
};

thread_local ThreadCache thread_cache;

}  // namespace

SnapshotStore::SnapshotStore()
    : id_(next_store_id.fetch_add(1, std::memory_order_relaxed)),
      snapshot_(std::make_shared<const Snapshot>()) {}

std::shared_ptr<const Snapshot> SnapshotStore::current() const {
    CachedSnapshot& slot = thread_cache.slot_for(id_);
    // Acquire pairs with the release in publish_locked(): a new version implies a new snapshot.
    if (slot.version != version_.load(std::memory_order_acquire)) {
        const std::lock_guard lock(mutex_);
        slot.snapshot = snapshot_;
        slot.version = version_.load(std::memory_order_relaxed);  // stable under the lock
    }
    return slot.snapshot;
}

void SnapshotStore::publish_locked(std::shared_ptr<const Snapshot> snapshot) {
    snapshot_ = snapshot ? std::move(snapshot) : std::make_shared<const Snapshot>();
    version_.fetch_add(1, std::memory_order_release);
}

template <typename Next>
void SnapshotStore::publish_next(Next&& next) {
    {
        const std::lock_guard lock(mutex_);
        publish_locked(next(*snapshot_));
    }
    if (on_publish_) on_publish_();
}

void SnapshotStore::publish(std::shared_ptr<const Snapshot> snapshot) {
    publish_next([&](const Snapshot&) { return std::move(snapshot); });
}

void SnapshotStore::update_flags(std::shared_ptr<const flags::FlagSnapshot> flags) {
    publish_next([&](const Snapshot& now) {
        return std::make_shared<const Snapshot>(
            Snapshot{std::move(flags), now.routing, now.generation + 1, now.doors});
    });
}

void SnapshotStore::update_routing(std::shared_ptr<const RoutingConfig> routing) {
    publish_next([&](const Snapshot& now) {
        return std::make_shared<const Snapshot>(
            Snapshot{now.flags, std::move(routing), now.generation + 1, now.doors});
    });
}

void SnapshotStore::update_doors(std::shared_ptr<const flags::DoorSet> doors) {
    publish_next([&](const Snapshot& now) {
        return std::make_shared<const Snapshot>(
            Snapshot{now.flags, now.routing, now.generation + 1, std::move(doors)});
    });
}

void SnapshotStore::update_flags_and_doors(std::shared_ptr<const flags::FlagSnapshot> flags,
                                           std::shared_ptr<const flags::DoorSet> doors) {
    publish_next([&](const Snapshot& now) {
        return std::make_shared<const Snapshot>(Snapshot{flags ? std::move(flags) : now.flags,
                                                         now.routing, now.generation + 1,
                                                         std::move(doors)});
    });
}

std::shared_ptr<const void> release_when_unshared(const SnapshotStore& store,
                                                  std::shared_ptr<const void> old,
                                                  std::chrono::milliseconds patience) {
    store.current();  // this thread's cache moves to what was published
    constexpr std::chrono::milliseconds kStep{1};
    // use_count() is a relaxed read: at worst one step too many, or a free left to the last holder.
    for (auto waited = std::chrono::milliseconds{0};
         old && old.use_count() > 1 && waited < patience; waited += kStep) {
        std::this_thread::sleep_for(kStep);
    }
    if (old && old.use_count() > 1) return old;
    old.reset();
    return nullptr;
}

}  // namespace switchyard::routing
