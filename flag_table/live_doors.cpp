#include "flag_table/live_doors.hpp"

namespace switchyard::flag_table {

LiveDoors::LiveDoors(Publish publish)
    : publish_(std::move(publish)), doors_(std::make_shared<const flags::DoorSet>()) {}

std::shared_ptr<const flags::DoorSet> LiveDoors::doors() const {
    std::lock_guard lock(mutex_);
    return doors_;
}

bool LiveDoors::closed(std::string_view tenant) const { return doors()->closed(tenant); }

void LiveDoors::forget_seen(std::int64_t seq) {
    std::erase_if(recent_, [&](const auto& entry) { return entry.second.first <= seq; });
}

void LiveDoors::replace(std::shared_ptr<const flags::FlagSnapshot> flags,
                        const std::vector<flags::DoorClosing>& doors, std::int64_t seq) {
    std::lock_guard lock(mutex_);
    forget_seen(seq);
    std::vector<flags::DoorClosing> all = doors;
    for (const auto& [_, recent] : recent_) all.push_back(recent.second);
    doors_ = std::make_shared<const flags::DoorSet>()->with(all);
    if (publish_) publish_(std::move(flags), doors_);
}

void LiveDoors::apply(std::shared_ptr<const flags::FlagSnapshot> flags, const Delta& delta) {
    std::lock_guard lock(mutex_);
    auto doors = doors_;
    if (!delta.doors_closed.empty()) doors = doors->with(delta.doors_closed);
    for (const auto& tenant : delta.doors_reopened) {
        // Read absent before this instance closed it again: the newer closing stands.
        const auto it = recent_.find(tenant);
        if (it != recent_.end() && it->second.first > delta.seq) continue;
        if (doors->closed(tenant)) doors = doors->without(tenant);
    }
    forget_seen(delta.seq);
    const bool doors_changed = doors != doors_;
    doors_ = std::move(doors);
    if (publish_ && (flags || doors_changed)) publish_(std::move(flags), doors_);
}

void LiveDoors::add(const std::vector<flags::DoorClosing>& closings, std::int64_t seq) {
    if (closings.empty()) return;
    std::lock_guard lock(mutex_);
    for (const auto& closing : closings) {
        auto& recent = recent_[closing.tenant];
        if (recent.first < seq) recent = {seq, closing};
    }
    doors_ = doors_->with(closings);
    if (publish_) publish_(nullptr, doors_);
}

}  // namespace switchyard::flag_table
