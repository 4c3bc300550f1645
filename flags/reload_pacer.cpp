#include "flags/reload_pacer.hpp"

#include <sched.h>
#include <time.h>

#include <algorithm>
#include <thread>

namespace switchyard::flags {
namespace {

using Nanoseconds = ReloadPacer::Nanoseconds;

// Less than this of wall time without the watcher running says nothing about the others.
constexpr Nanoseconds kLeastToJudge = std::chrono::microseconds{50};
// A shorter sleep costs about what it gives back (a wake-up, two context switches).
constexpr Nanoseconds kShortestSleep = std::chrono::microseconds{50};

Nanoseconds read_clock(clockid_t id) noexcept {
    timespec now{};
    ::clock_gettime(id, &now);
    return std::chrono::seconds{now.tv_sec} + Nanoseconds{now.tv_nsec};
}

class SystemClock final : public ReloadPacer::Clock {
  public:
    Reading now() override {
        return {read_clock(CLOCK_MONOTONIC), read_clock(CLOCK_THREAD_CPUTIME_ID),
                read_clock(CLOCK_PROCESS_CPUTIME_ID)};
    }
    Nanoseconds wall_now() override { return read_clock(CLOCK_MONOTONIC); }
    Nanoseconds thread_cpu() override { return read_clock(CLOCK_THREAD_CPUTIME_ID); }
    void sleep_for(Nanoseconds duration) override { std::this_thread::sleep_for(duration); }
    unsigned cores() override {
        cpu_set_t allowed;
        CPU_ZERO(&allowed);
        if (::sched_getaffinity(0, sizeof allowed, &allowed) == 0) {
            return static_cast<unsigned>(std::max(1, CPU_COUNT(&allowed)));
        }
        return std::max(1U, std::thread::hardware_concurrency());
    }
};

thread_local ReloadPacer* pacer_on_this_thread = nullptr;

double as_double(Nanoseconds duration) noexcept { return static_cast<double>(duration.count()); }

}  // namespace

ReloadPacer::Clock& ReloadPacer::system_clock() {
    static SystemClock clock;
    return clock;
}

ReloadPacer* ReloadPacer::on_this_thread() noexcept { return pacer_on_this_thread; }

ReloadPacer::ThreadScope::ThreadScope(ReloadPacer* pacer) noexcept : outer_(pacer_on_this_thread) {
    pacer_on_this_thread = pacer;
}

ReloadPacer::ThreadScope::~ThreadScope() { pacer_on_this_thread = outer_; }

void ReloadPacer::begin() {
    cores_ = std::max(1U, clock_.cores());
    step_started_ = last_look_ = clock_.now();
    others_busy_ = 1;
    steps_ = 0;
    slept_ = Nanoseconds{0};
}

void ReloadPacer::pause_point() {
    // The step's wall time bounds its CPU time from above: until it reaches a step's worth,
    // the thread's CPU clock (a system call, thousands of times a reload) is not read.
    if (clock_.wall_now() - step_started_.wall < policy_.step_cpu) return;
    const Nanoseconds step_cpu = clock_.thread_cpu() - step_started_.thread_cpu;
    if (step_cpu < policy_.step_cpu || stopping_.load(std::memory_order_relaxed)) return;
    ++steps_;
    const Clock::Reading now = clock_.now();
    // Since the last look: of the wall time the watcher did not run, the part the process's
    // cores stayed idle is what nobody else wanted.
    const Nanoseconds wall = now.wall - last_look_.wall;
    const Nanoseconds left = wall - (now.thread_cpu - last_look_.thread_cpu);
    if (left >= kLeastToJudge) {
        const double idle =
            cores_ * as_double(wall) - as_double(now.process_cpu - last_look_.process_cpu);
        const double busy = std::clamp(1 - idle / as_double(left), 0.0, 1.0);
        others_busy_ = (others_busy_ + busy) / 2;
    }
    last_look_ = now;
    // Sleep so that this step's CPU is `share` of the wall time from its start to the wake-up.
    const double share = std::max(policy_.busy_share, 1 - others_busy_);
    const auto pause = Nanoseconds{
        static_cast<Nanoseconds::rep>(as_double(now.thread_cpu - step_started_.thread_cpu) / share -
                                      as_double(now.wall - step_started_.wall))};
    if (pause >= kShortestSleep) {
        clock_.sleep_for(pause);
        slept_ += pause;
        // The next step starts when the sleep was due to end: waking late (a timer's slack, or
        // the scheduler keeping a request thread on the core a while longer) is time given
        // back too, so the share holds over the reload and the reload is not slowed by it.
        step_started_ = {now.wall + pause, clock_.thread_cpu(), now.process_cpu};
    } else {
        step_started_ = now;
    }
}

}  // namespace switchyard::flags
