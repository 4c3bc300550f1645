#pragma once
// The single publication point of routing snapshots (STYLE.md, "One snapshot per request").
//
// Invariant: a request calls current() once when it starts and holds that shared_ptr until it
// ends; a publication never changes what a request in flight sees, and never waits for it.
//
// Readers are cheap with many threads: each thread caches the snapshot it last saw, keyed by
// store and version, and only when an acquire load of the store's version says something new
// was published does it take the mutex to refresh (once per thread per publication). Writers
// are rare (a reload, an admin change) and serialize on the same mutex. A thread keeps its
// cached snapshot alive until its next current() on that store or until it exits; the engine
// has its idle threads call current() after each publication (on_publish()).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "flags/flag_snapshot.hpp"
#include "routing/routing_config.hpp"
#include "routing/snapshot.hpp"

namespace switchyard::routing {

class SnapshotStore {
  public:
    SnapshotStore();  // an empty snapshot (both halves null), generation 0
    SnapshotStore(const SnapshotStore&) = delete;
    SnapshotStore& operator=(const SnapshotStore&) = delete;

    // Never null. Lock-free unless something was published since this thread last asked.
    std::shared_ptr<const Snapshot> current() const;

    // Replaces the whole snapshot as given (null publishes an empty one).
    void publish(std::shared_ptr<const Snapshot> snapshot);
    // Each builds a whole new snapshot from the current other half, generation + 1, and
    // publishes it in one store: the two halves never change separately under a reader.
    void update_flags(std::shared_ptr<const flags::FlagSnapshot> flags);
    void update_routing(std::shared_ptr<const RoutingConfig> routing);
    void update_doors(std::shared_ptr<const flags::DoorSet> doors);
    // Flags and doors in one publication (a forced move back and its door reopening): a
    // reader never sees one without the other. `flags` null: keep the current flags.
    void update_flags_and_doors(std::shared_ptr<const flags::FlagSnapshot> flags,
                                std::shared_ptr<const flags::DoorSet> doors);

    // Called on the publishing thread after each publication, outside the lock (it may call
    // current()): the engine has idle request threads let go of the snapshot just replaced
    // (proxy::Server::refresh_snapshots()). Set before any other thread publishes.
    void on_publish(std::function<void()> published) { on_publish_ = std::move(published); }

  private:
    void publish_locked(std::shared_ptr<const Snapshot> snapshot);
    // Builds the next snapshot from the current one under the lock, publishes it, then tells.
    template <typename Next>
    void publish_next(Next&& next);

    const std::uint64_t id_;  // unique in the process, never reused: keys threads' caches
    mutable std::mutex mutex_;
    std::shared_ptr<const Snapshot> snapshot_;  // guarded by mutex_
    std::atomic<std::uint64_t> version_{1};     // bumped under mutex_ after snapshot_ changes
    std::function<void()> on_publish_;
};

// For a publisher that replaced a big piece of a snapshot of `store` (a million tenants take
// milliseconds to free): drops `old` on the calling thread once every other holder has let go
// of it (request threads do at their next current() or when their request ends), so that the
// first request after a swap does not pay for the free. The calling thread's own cached
// snapshot is let go of first: a publisher that read current() before publishing would
// otherwise hold `old` itself, wait out its patience and leave the free to its next current().
// Waits at most `patience`. A holder that keeps it longer (a long request) is not left to free
// it when it ends: `old` is returned, for the caller to let go of later on its own thread (null
// when it was freed here).
[[nodiscard]] std::shared_ptr<const void> release_when_unshared(const SnapshotStore& store,
                                                                std::shared_ptr<const void> old,
                                                                std::chrono::milliseconds patience);

}  // namespace switchyard::routing
