#include "peak_sampler.hpp"

namespace switchyard::test {

PeakSampler::PeakSampler(std::function<std::uint64_t()> sample, std::chrono::milliseconds interval)
    : sample_(std::move(sample)) {
    take();
    thread_ = std::thread([this, interval] {
        while (!stopping_) {
            std::this_thread::sleep_for(interval);  // a sampling period, not a wait for a result
            take();
        }
    });
}

PeakSampler::~PeakSampler() { stop(); }

void PeakSampler::take() {
    const std::uint64_t value = sample_();
    ++samples_;
    std::uint64_t seen = peak_.load();
    while (value > seen && !peak_.compare_exchange_weak(seen, value)) {
    }
}

void PeakSampler::stop() {
    if (stopping_.exchange(true)) return;
    thread_.join();
    take();
}

}  // namespace switchyard::test
