#include "routing/recent_writes.hpp"

#include <bit>
#include <functional>

namespace switchyard::routing {

RecentWrites::RecentWrites(std::size_t slots)
    : mask_(std::bit_ceil(std::max<std::size_t>(slots, 2)) - 1),
      last_write_ms_(new std::atomic<std::int64_t>[mask_ + 1]) {
    for (std::size_t i = 0; i <= mask_; ++i) last_write_ms_[i].store(INT64_MIN / 2);
}

std::size_t RecentWrites::slot_of(std::string_view tenant) const noexcept {
    return std::hash<std::string_view>{}(tenant)&mask_;
}

void RecentWrites::record_write(std::string_view tenant, std::int64_t now_ms) noexcept {
    // Relaxed is enough: a read racing the write may miss it, as it would have a moment
    // earlier; the window is about replication lag, not about ordering.
    last_write_ms_[slot_of(tenant)].store(now_ms, std::memory_order_relaxed);
}

bool RecentWrites::wrote_within(std::string_view tenant, std::int64_t now_ms,
                                std::int64_t window_ms) const noexcept {
    const auto last = last_write_ms_[slot_of(tenant)].load(std::memory_order_relaxed);
    return now_ms - last < window_ms;
}

}  // namespace switchyard::routing
