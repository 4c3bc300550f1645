#include "stats/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace switchyard::stats {

void LatencyHistogram::record(std::chrono::microseconds latency) noexcept {
    const auto micros = static_cast<std::uint64_t>(std::max<std::int64_t>(latency.count(), 0));
    ++counts_[buckets::index_of(micros)];
    ++count_;
    max_micros_ = std::max(max_micros_, micros);
}

void LatencyHistogram::merge(const LatencyHistogram& other) noexcept {
    for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
    count_ += other.count_;
    max_micros_ = std::max(max_micros_, other.max_micros_);
}

std::chrono::microseconds LatencyHistogram::max() const noexcept {
    return std::chrono::microseconds{static_cast<std::int64_t>(max_micros_)};
}

std::chrono::microseconds LatencyHistogram::percentile(double q) const noexcept {
    if (count_ == 0) return std::chrono::microseconds{0};
    const double wanted = std::clamp(q, 0.0, 1.0) * static_cast<double>(count_);
    // The relative nudge keeps 0.9 * 100 (90.00000000000001 in binary) at rank 90, not 91.
    const auto rank =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(wanted - wanted * 1e-12)));
    std::uint64_t seen = 0;
    std::size_t index = 0;
    for (; index < kBuckets - 1; ++index) {
        seen += counts_[index];
        if (seen >= rank) break;
    }
    const auto midpoint = buckets::lower_bound(index) + buckets::width(index) / 2;
    return std::chrono::microseconds{static_cast<std::int64_t>(std::min(midpoint, max_micros_))};
}

}  // namespace switchyard::stats
