#pragma once
// Paces a reload's heavy work (reading, hashing and parsing a document of tens of megabytes) on
// the watcher thread, so that it never holds a core a busy request thread needs for long. A
// process confined to one core (a container; the swap bench pins it so) would otherwise lose
// that core to the watcher a whole scheduler slice at a time, milliseconds, longer than a
// request's p99; lowering the watcher's priority only makes those slices rarer, and the swap
// seconds long.
//
// The work calls pause_point() every few tens of microseconds. Once a step has used step_cpu of
// CPU, the pacer looks at what the process did since its last look: of the wall time the watcher
// did not run, how much did the process's cores stay idle? Idle means nobody wanted the CPU
// the watcher left, so it may take all of it: no sleep, and a reload on an idle process runs at
// full speed. Taken by others (request threads) means they need it: the watcher then sleeps
// after each step so that it keeps only busy_share of the core. The estimate of how busy the
// others are is smoothed over steps, and starts at "fully busy": a reload's first step is
// followed by a sleep that measures whether anyone else wants the core.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace switchyard::flags {

class ReloadPacer {
  public:
    using Nanoseconds = std::chrono::nanoseconds;

    // What the pacer reads and does; the real one is system_clock(), tests pass a script.
    class Clock {
      public:
        struct Reading {
            Nanoseconds wall{0};         // a monotonic clock
            Nanoseconds thread_cpu{0};   // CPU time of the calling thread
            Nanoseconds process_cpu{0};  // CPU time of all the process's threads
        };
        virtual ~Clock() = default;
        virtual Reading now() = 0;
        // now().wall alone: what pause_point() reads most of the time (without a system call,
        // where the thread's CPU clock needs one).
        virtual Nanoseconds wall_now() = 0;
        // now().thread_cpu alone.
        virtual Nanoseconds thread_cpu() = 0;
        virtual void sleep_for(Nanoseconds duration) = 0;
        // How many cores the process may run on (its CPU affinity).
        virtual unsigned cores() = 0;
    };
    // CLOCK_MONOTONIC, the thread's and the process's CPU clocks, nanosleep, sched_getaffinity.
    static Clock& system_clock();

    struct Policy {
        // CPU time of one step: short next to a request's latency, long next to a sleep's cost.
        Nanoseconds step_cpu = std::chrono::microseconds{150};
        // The watcher's share of a core that request threads keep busy: a 1,000,000-tenant
        // reload (~140 ms of CPU) then takes ~0.9 s, and the request threads keep 84 % of it.
        double busy_share = 0.16;
    };

    explicit ReloadPacer(Clock& clock) : ReloadPacer(clock, Policy{}) {}
    ReloadPacer(Clock& clock, Policy policy) : clock_(clock), policy_(policy) {}

    // At the start of a reload: the first step starts now, and the others are assumed busy.
    void begin();
    // Between two pieces of work: returns at once unless a step's CPU is spent, then may sleep.
    void pause_point();
    // From any thread, when the process is stopping: a paced million-tenant reload would hold
    // up the stop for most of a second, so the reload under way (and any after) runs unpaced.
    void stop_pacing() noexcept { stopping_.store(true, std::memory_order_relaxed); }

    // The pacer of the reload on this thread, if any, for work no one can hand it to: a
    // destructor (a replaced million-tenant table, freed by the watcher).
    static ReloadPacer* on_this_thread() noexcept;
    // Makes a pacer (or none) on_this_thread() while it lives.
    class ThreadScope {
      public:
        explicit ThreadScope(ReloadPacer* pacer) noexcept;
        ~ThreadScope();
        ThreadScope(const ThreadScope&) = delete;
        ThreadScope& operator=(const ThreadScope&) = delete;

      private:
        ReloadPacer* const outer_;
    };

    // For tests and benchmarks: the steps ended and the time slept since begin().
    std::uint64_t steps() const noexcept { return steps_; }
    Nanoseconds slept() const noexcept { return slept_; }
    // How busy the others are thought to be, 0 (idle) to 1 (they took all the watcher left).
    double others_busy() const noexcept { return others_busy_; }

  private:
    Clock& clock_;
    const Policy policy_;
    unsigned cores_ = 1;
    Clock::Reading step_started_;  // when the current step started (after the last sleep)
    Clock::Reading last_look_;     // when the pacer last looked (before the last sleep)
    double others_busy_ = 1;
    std::atomic<bool> stopping_{false};
    std::uint64_t steps_ = 0;
    Nanoseconds slept_{0};
};

}  // namespace switchyard::flags
