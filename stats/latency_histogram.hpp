#pragma once
// A latency histogram with fixed log-linear buckets (HdrHistogram's layout, 4 sub-bucket bits):
// one bucket per microsecond below 32 µs, then 16 equal buckets per power of two up to 2^26 µs
// (67 s). A percentile reports its bucket's midpoint, so it is within 1/32 (3.125 %) of the true
// value; samples at or above 67 s share the last bucket, where max() stays exact.
#include <array>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace switchyard::stats {

// The bucket layout, shared by LatencyHistogram and WorkerStats' atomic cells.
namespace buckets {

inline constexpr unsigned kSubBucketBits = 4;
inline constexpr std::uint64_t kSubBuckets = std::uint64_t{1} << kSubBucketBits;
inline constexpr unsigned kTopExponent = 26;  // samples >= 2^26 µs land in the last bucket
inline constexpr std::size_t kCount = (kTopExponent - kSubBucketBits + 1) * kSubBuckets;  // 368

constexpr std::size_t index_of(std::uint64_t micros) noexcept {
    if (micros < 2 * kSubBuckets) return static_cast<std::size_t>(micros);
    if (micros >= std::uint64_t{1} << kTopExponent) return kCount - 1;
    // micros in [2^e, 2^(e+1)): its top kSubBucketBits + 1 bits pick one of 16 buckets.
    const auto shift = static_cast<unsigned>(std::bit_width(micros)) - 1 - kSubBucketBits;
    return (std::size_t{shift} << kSubBucketBits) + static_cast<std::size_t>(micros >> shift);
}

constexpr std::uint64_t lower_bound(std::size_t index) noexcept {
    if (index < 2 * kSubBuckets) return index;
    const auto shift = static_cast<unsigned>(index >> kSubBucketBits) - 1;
    return (kSubBuckets + (index & (kSubBuckets - 1))) << shift;
}

constexpr std::uint64_t width(std::size_t index) noexcept {
    return index < 2 * kSubBuckets ? 1 : std::uint64_t{1} << ((index >> kSubBucketBits) - 1);
}

}  // namespace buckets

class LatencyHistogram {
  public:
    static constexpr std::size_t kBuckets = buckets::kCount;

    // No allocation: a bucket index from the bit width, three additions.
    void record(std::chrono::microseconds latency) noexcept;
    // Adds every sample of `other`: exact, as if each had been recorded here.
    void merge(const LatencyHistogram& other) noexcept;

    std::uint64_t count() const noexcept { return count_; }
    // The largest sample exactly (0 when empty).
    std::chrono::microseconds max() const noexcept;
    // Nearest rank: the smallest sample with at least q * count() samples at or below it, to
    // within its bucket (q in [0, 1], clamped); never above max(); 0 when empty.
    std::chrono::microseconds percentile(double q) const noexcept;

    // Bucket access for exporters (Prometheus) and for merging stores with this layout.
    std::uint64_t bucket_samples(std::size_t index) const noexcept { return counts_[index]; }
    // Adds samples_of(i) samples to each bucket i (stores with this layout: WorkerStats' cells).
    template <typename SamplesOf>
    void add_buckets(SamplesOf samples_of) noexcept {
        std::uint64_t added = 0;  // a local: count_ stays out of the loop's dependency chain
        for (std::size_t i = 0; i < kBuckets; ++i) {
            const std::uint64_t samples = samples_of(i);
            counts_[i] += samples;
            added += samples;
        }
        count_ += added;
    }
    void raise_max(std::uint64_t micros) noexcept {
        if (micros > max_micros_) max_micros_ = micros;
    }

    friend bool operator==(const LatencyHistogram&, const LatencyHistogram&) = default;

  private:
    std::array<std::uint64_t, kBuckets> counts_{};
    std::uint64_t count_ = 0;
    std::uint64_t max_micros_ = 0;
};

}  // namespace switchyard::stats
