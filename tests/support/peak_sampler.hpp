#pragma once
// Samples a value (a process's RSS) on a background thread and keeps the peak, so a test can
// assert the most memory a transfer ever took, not just what is left at the end.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>

namespace switchyard::test {

class PeakSampler {
  public:
    PeakSampler(std::function<std::uint64_t()> sample, std::chrono::milliseconds interval);
    ~PeakSampler();
    PeakSampler(const PeakSampler&) = delete;
    PeakSampler& operator=(const PeakSampler&) = delete;

    std::uint64_t peak() const noexcept { return peak_.load(); }
    std::size_t samples() const noexcept { return samples_.load(); }
    void stop();  // takes one last sample; idempotent

  private:
    void take();

    std::function<std::uint64_t()> sample_;
    std::atomic<std::uint64_t> peak_{0};
    std::atomic<std::size_t> samples_{0};
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace switchyard::test
