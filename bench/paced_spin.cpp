// The swap bench's floor (`peers.py swap --floor`): CPU work with no memory traffic, paced the
// way the flag watcher paces a reload on a busy core (ReloadPacer's default step and share), run
// pinned to the proxy's core. What it costs wrk's p99 is what any reload of that much CPU would
// cost at that share; what the real swap costs beyond it is the reload's own shape (its cache
// misses, page faults, system calls).
//
// Usage: paced_spin CPU_MS [SHARE]. Waits for a line on stdin (so that starting the process is not
// part of what is measured), then spins until it has used CPU_MS of CPU, and prints its CPU and
// wall seconds. SHARE (0 to 1) replaces the watcher's share: what would a cheaper reload, paced
// more gently, cost?
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include "flags/reload_pacer.hpp"

namespace {

using Nanoseconds = std::chrono::nanoseconds;

Nanoseconds read_clock(clockid_t id) {
    timespec now{};
    ::clock_gettime(id, &now);
    return std::chrono::seconds{now.tv_sec} + Nanoseconds{now.tv_nsec};
}

}  // namespace

int main(int argc, char** argv) {
    switchyard::flags::ReloadPacer::Policy policy;  // the watcher's, on a busy core
    if (argc == 3) policy.busy_share = std::atof(argv[2]);
    if (argc < 2 || argc > 3 || std::atof(argv[1]) <= 0 || policy.busy_share <= 0 ||
        policy.busy_share > 1) {
        std::fprintf(stderr, "usage: paced_spin CPU_MS [SHARE] (then a line on stdin starts it)\n");
        return 2;
    }
    const Nanoseconds total{static_cast<Nanoseconds::rep>(std::atof(argv[1]) * 1e6)};
    std::string go;
    if (!std::getline(std::cin, go)) return 1;  // the bench went away without its go

    const Nanoseconds cpu_start = read_clock(CLOCK_THREAD_CPUTIME_ID);
    const Nanoseconds wall_start = read_clock(CLOCK_MONOTONIC);
    Nanoseconds used{0};
    Nanoseconds step_wall = wall_start;
    while (used < total) {
        const Nanoseconds step_cpu = read_clock(CLOCK_THREAD_CPUTIME_ID);
        while (read_clock(CLOCK_THREAD_CPUTIME_ID) - step_cpu < policy.step_cpu) {
        }
        // As ReloadPacer does: this step's CPU is `busy_share` of the wall time from its start
        // to the wake-up, and the next step starts when the sleep was due to end.
        const Nanoseconds spent = read_clock(CLOCK_THREAD_CPUTIME_ID) - step_cpu;
        const Nanoseconds due{
            static_cast<Nanoseconds::rep>(static_cast<double>(spent.count()) / policy.busy_share)};
        const Nanoseconds now = read_clock(CLOCK_MONOTONIC);
        if (step_wall + due > now) {
            std::this_thread::sleep_for(step_wall + due - now);
            step_wall += due;
        } else {
            step_wall = now;
        }
        used = read_clock(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
    }
    std::printf("%.6f %.6f\n", static_cast<double>(used.count()) / 1e9,
                static_cast<double>((read_clock(CLOCK_MONOTONIC) - wall_start).count()) / 1e9);
    return 0;
}
