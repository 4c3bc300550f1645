#pragma once
// One worker thread's statistics: written by that thread alone, read by any thread.
//
// Why this design (issue 7: nothing shared is written on the request path):
// - Every cell is a std::atomic written by its one owner with a load and a store (no lock
//   prefix, no read-modify-write): as cheap as a plain increment, and race-free for a reader on
//   another thread, which ThreadSanitizer checks (unit_stats_tsan).
// - The last minute is a ring of 60 one-second slots, each tagged with its second. The writer
//   recycles a slot once per second, seqlock style (release stores, acquire loads, no fences);
//   a reader adds a slot's cells and keeps the sum only if the tag did not change meanwhile, so
//   it never mixes two seconds. Expired slots are skipped by their tag, so an idle worker's old
//   seconds age out without the worker doing anything.
// - Since-start cells are never reset, so a reader sees every count only grow.
// - Within a group, counts are published in order (latency max, latency bucket, then status and
//   upstream error, with release stores; acquire loads on the reader's side, free on x86), so a
//   report never shows more 5xx or upstream errors than requests, nor a max below a sample.
//
// Memory is fixed: ~0.8 MiB per worker (60 slots of 32-bit cells, since-start in 64-bit cells),
// allocated once, never on the request path.
#include <chrono>
#include <memory>

#include "stats/request_sample.hpp"
#include "stats/stats_report.hpp"

namespace switchyard::stats {

class WorkerStats {
  public:
    static constexpr std::chrono::seconds kWindow{60};

    WorkerStats();
    ~WorkerStats();
    WorkerStats(const WorkerStats&) = delete;
    WorkerStats& operator=(const WorkerStats&) = delete;

    // The owning thread only. `now` should not go backwards; a sample stamped before the newest
    // second recorded so far counts in that newest second.
    void record(const RequestSample& sample, std::chrono::steady_clock::time_point now) noexcept;

    // Any thread, any time: adds this worker's since-start counts to report.since_start, and
    // those of the seconds in (now - 60 s, ...] to report.last_minute (seconds a writer stamped
    // after `now` count too: its clock may be a tick ahead of the reader's).
    void add_to(StatsReport& report, std::chrono::steady_clock::time_point now) const;

    static std::size_t memory_bytes() noexcept;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace switchyard::stats
