#pragma once
// Bounded polling: tests wait for a condition, never for a fixed time (STYLE.md, Tests).
#include <chrono>
#include <thread>

namespace switchyard::test {

using namespace std::chrono_literals;

// Polls `condition` every `step` until it holds or `timeout` passes; returns its last value.
template <typename Condition>
bool wait_until(Condition&& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds step = 5ms) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(step);
    }
}

}  // namespace switchyard::test
