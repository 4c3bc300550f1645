#include "stats/stats_report.hpp"

namespace switchyard::stats {

void Traffic::merge(const Traffic& other) noexcept {
    for (std::size_t i = 0; i < kStatusClasses; ++i) {
        responses_by_class[i] += other.responses_by_class[i];
    }
    upstream_errors += other.upstream_errors;
    latency.merge(other.latency);
}

void SideTraffic::merge(const SideTraffic& other) noexcept {
    Traffic::merge(other);
    upstream_latency.merge(other.upstream_latency);
}

SideTraffic PeriodStats::total() const noexcept {
    SideTraffic total;
    for (const auto& side : sides) total.merge(side);
    return total;
}

void PeriodStats::merge(const PeriodStats& other) noexcept {
    for (std::size_t i = 0; i < kSides; ++i) sides[i].merge(other.sides[i]);
    for (std::size_t i = 0; i < kStages; ++i) stages[i].merge(other.stages[i]);
}

}  // namespace switchyard::stats
