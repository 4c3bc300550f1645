#include "flags/door_set.hpp"

namespace switchyard::flags {

const DoorClosing* DoorSet::find(std::string_view tenant) const noexcept {
    if (auto it = delta_.find(tenant); it != delta_.end()) return &it->second;
    if (base_) {
        if (auto it = base_->find(tenant); it != base_->end()) return &it->second;
    }
    return nullptr;
}

std::size_t DoorSet::size() const noexcept { return (base_ ? base_->size() : 0) + delta_.size(); }

std::shared_ptr<const DoorSet> DoorSet::with(const std::vector<DoorClosing>& added) const {
    auto next = std::make_shared<DoorSet>(*this);
    for (const auto& closing : added) {
        if (!next->closed(closing.tenant)) next->delta_.emplace(closing.tenant, closing);
    }
    if (next->delta_.size() > kMaxDelta) {
        auto merged = std::make_shared<Map>(base_ ? *base_ : Map{});
        merged->merge(next->delta_);
        next->base_ = std::move(merged);
        next->delta_.clear();
    }
    return next;
}

std::shared_ptr<const DoorSet> DoorSet::without(std::string_view tenant) const {
    auto next = std::make_shared<DoorSet>();
    auto merged = std::make_shared<Map>(base_ ? *base_ : Map{});
    for (const auto& [id, closing] : delta_) merged->emplace(id, closing);
    if (auto it = merged->find(tenant); it != merged->end()) merged->erase(it);
    next->base_ = std::move(merged);
    return next;
}

}  // namespace switchyard::flags
