#pragma once
// The tenants this instance has routed since it started, so that a rollout change can name the
// tenants it moves (the flag document lists only pinned tenants; the rest are known only from
// traffic). One shard per worker thread: only that worker inserts, and a tenant already seen
// costs one hash lookup and no lock; readers (the admin thread) lock each shard in turn.
// Bounded: a shard stops taking new tenants at its capacity and the listing says so.
#include <atomic>
#include <boost/unordered/unordered_flat_set.hpp>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::routing {

class SeenTenants {
  public:
    static constexpr std::size_t kDefaultCapacityPerWorker = 100'000;

    class Shard {
      public:
        // From the owning worker thread only.
        void note(std::string_view tenant);

      private:
        friend class SeenTenants;
        struct Hash {
            using is_transparent = void;
            std::size_t operator()(std::string_view text) const noexcept {
                return std::hash<std::string_view>{}(text);
            }
        };
        mutable std::mutex mutex_;  // held by the worker while inserting, by readers while reading
        // Open addressing: the lookup made for every request is one probe of a flat array,
        // where std::unordered_set walked a bucket's nodes (1.5 % of the proxy's CPU).
        boost::unordered_flat_set<std::string, Hash, std::equal_to<>> tenants_;
        std::size_t capacity_ = kDefaultCapacityPerWorker;
        std::atomic<bool> full_{false};
    };

    struct Listing {
        std::vector<std::string> tenants;  // sorted, each once
        bool complete = true;              // false: some shard reached its capacity
    };

    explicit SeenTenants(std::size_t workers,
                         std::size_t capacity_per_worker = kDefaultCapacityPerWorker);

    Shard& shard(std::size_t worker) { return shards_.at(worker); }
    Listing list() const;

  private:
    std::deque<Shard> shards_;  // deque: shards hold a mutex and never move
};

}  // namespace switchyard::routing
