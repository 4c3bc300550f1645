#pragma once
// Holds a reader to a byte rate, so a test can be the slow end of a transfer and check that the
// proxy pushes back instead of buffering what the fast end sends.
#include <chrono>
#include <cstdint>

namespace switchyard::test {

class Pacer {
  public:
    explicit Pacer(std::uint64_t bytes_per_second)
        : bytes_per_second_(bytes_per_second), start_(std::chrono::steady_clock::now()) {}

    // After `bytes` more have been read: how long to pause to stay at the rate (0 if unpaced).
    std::chrono::nanoseconds pause_after(std::uint64_t bytes) {
        total_ += bytes;
        if (bytes_per_second_ == 0) return std::chrono::nanoseconds::zero();
        const auto due = start_ + std::chrono::nanoseconds(static_cast<std::int64_t>(
                                      total_ * 1'000'000'000.0 / bytes_per_second_));
        const auto now = std::chrono::steady_clock::now();
        return due > now ? due - now : std::chrono::nanoseconds::zero();
    }

  private:
    std::uint64_t bytes_per_second_;
    std::chrono::steady_clock::time_point start_;
    std::uint64_t total_ = 0;
};

}  // namespace switchyard::test
