#pragma once
// The statistics of every worker thread, merged on demand for /v1/stats and /metrics.
#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

#include "stats/stats_report.hpp"
#include "stats/worker_gauges.hpp"
#include "stats/worker_stats.hpp"

namespace switchyard::stats {

class StatsRegistry {
  public:
    StatsRegistry(std::size_t workers, std::chrono::steady_clock::time_point started);

    std::size_t workers() const noexcept { return workers_.size(); }
    // Hand worker(i) to thread i at startup; only that thread records into it.
    WorkerStats& worker(std::size_t index) { return *workers_.at(index); }
    WorkerGauges& gauges(std::size_t index) { return *gauges_.at(index); }

    // Any thread. Reads every worker without stopping it; ~50 KiB of plain values.
    StatsReport snapshot(std::chrono::steady_clock::time_point now) const;

  private:
    std::chrono::steady_clock::time_point started_;
    std::vector<std::unique_ptr<WorkerStats>> workers_;  // one allocation each: no false sharing
    std::vector<std::unique_ptr<WorkerGauges>> gauges_;
};

}  // namespace switchyard::stats
