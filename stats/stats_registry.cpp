#include "stats/stats_registry.hpp"

namespace switchyard::stats {

StatsRegistry::StatsRegistry(std::size_t workers, std::chrono::steady_clock::time_point started)
    : started_(started) {
    workers_.reserve(workers);
    for (std::size_t i = 0; i < workers; ++i) {
        workers_.push_back(std::make_unique<WorkerStats>());
        gauges_.push_back(std::make_unique<WorkerGauges>());
    }
}

StatsReport StatsRegistry::snapshot(std::chrono::steady_clock::time_point now) const {
    StatsReport report;
    report.window = WorkerStats::kWindow;
    report.uptime = std::chrono::floor<std::chrono::seconds>(now - started_);
    for (const auto& worker : workers_) worker->add_to(report, now);
    for (const auto& gauges : gauges_) gauges->add_to(report.connections);
    return report;
}

}  // namespace switchyard::stats
