#include "routing/seen_tenants.hpp"

#include <algorithm>

namespace switchyard::routing {

void SeenTenants::Shard::note(std::string_view tenant) {
    // Reading without the lock is safe: this thread is the only one that changes the set.
    if (tenant.empty() || tenants_.find(tenant) != tenants_.end()) return;
    if (full_.load(std::memory_order_relaxed)) return;
    std::lock_guard lock(mutex_);
    if (tenants_.size() >= capacity_) {
        full_.store(true, std::memory_order_relaxed);
        return;
    }
    tenants_.emplace(tenant);
}

SeenTenants::SeenTenants(std::size_t workers, std::size_t capacity_per_worker)
    : shards_(std::max<std::size_t>(workers, 1)) {
    for (auto& shard : shards_) shard.capacity_ = capacity_per_worker;
}

SeenTenants::Listing SeenTenants::list() const {
    Listing listing;
    for (const auto& shard : shards_) {
        std::lock_guard lock(shard.mutex_);
        listing.tenants.insert(listing.tenants.end(), shard.tenants_.begin(), shard.tenants_.end());
        listing.complete = listing.complete && !shard.full_.load(std::memory_order_relaxed);
    }
    std::sort(listing.tenants.begin(), listing.tenants.end());
    listing.tenants.erase(std::unique(listing.tenants.begin(), listing.tenants.end()),
                          listing.tenants.end());
    return listing;
}

}  // namespace switchyard::routing
