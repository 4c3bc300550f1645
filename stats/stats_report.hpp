#pragma once
// A merged view of every worker's statistics at one instant: per side, per stage and in total,
// over the last minute and since start. Plain values: copy, merge and compare freely.
#include <array>
#include <chrono>
#include <cstdint>

#include "common/stage.hpp"
#include "stats/latency_histogram.hpp"

namespace switchyard::stats {

inline constexpr std::size_t kSides = 2;          // by Side
inline constexpr std::size_t kStages = 5;         // by Stage
inline constexpr std::size_t kStatusClasses = 5;  // 1xx .. 5xx

constexpr std::size_t index_of(Side side) noexcept { return static_cast<std::size_t>(side); }
constexpr std::size_t index_of(Stage stage) noexcept { return static_cast<std::size_t>(stage); }

// 0 for 1xx .. 4 for 5xx; kStatusClasses for a status outside 100-599 (counted in no class).
constexpr std::size_t status_class_of(unsigned status) noexcept {
    return status >= 100 && status <= 599 ? status / 100 - 1 : kStatusClasses;
}

// One group of requests (a side, a stage) over one period.
struct Traffic {
    std::array<std::uint64_t, kStatusClasses> responses_by_class{};  // [0] = 1xx .. [4] = 5xx
    std::uint64_t upstream_errors = 0;
    LatencyHistogram latency;  // RequestSample::total_latency: one sample per request

    std::uint64_t requests() const noexcept { return latency.count(); }
    std::uint64_t errors_5xx() const noexcept { return responses_by_class[4]; }
    void merge(const Traffic& other) noexcept;

    friend bool operator==(const Traffic&, const Traffic&) = default;
};

// A side also keeps the backend's own latency, to compare legacy with new without the proxy.
struct SideTraffic : Traffic {
    LatencyHistogram upstream_latency;  // RequestSample::upstream_latency

    void merge(const SideTraffic& other) noexcept;

    friend bool operator==(const SideTraffic&, const SideTraffic&) = default;
};

struct PeriodStats {
    std::array<SideTraffic, kSides> sides;  // every request, by the side that answered
    std::array<Traffic, kStages> stages;    // tenant routes only, by the tenant's stage

    SideTraffic total() const noexcept;  // both sides
    void merge(const PeriodStats& other) noexcept;

    friend bool operator==(const PeriodStats&, const PeriodStats&) = default;
};

// Requests since start by route, side, stage and status class: the labels of
// switchyard_requests_total. Counted per route position in the route table; routes from
// kRouteSlots - 1 on share the last slot, and requests of weighted or pinned routes (or without
// a tenant) have no stage: the last stage slot.
inline constexpr std::size_t kRouteSlots = 32;
inline constexpr std::size_t kStageSlots = kStages + 1;
inline constexpr std::size_t kNoStage = kStages;
inline constexpr std::size_t kRequestCells = kRouteSlots * kSides * kStageSlots * kStatusClasses;

constexpr std::size_t route_slot_of(std::size_t route_index) noexcept {
    return route_index < kRouteSlots ? route_index : kRouteSlots - 1;
}
constexpr std::size_t request_cell(std::size_t route_slot, std::size_t side, std::size_t stage_slot,
                                   std::size_t status_class) noexcept {
    return ((route_slot * kSides + side) * kStageSlots + stage_slot) * kStatusClasses +
           status_class;
}

// Why a connection to a backend could not be made.
enum class ConnectError { refused, timeout };
inline constexpr std::size_t kConnectErrors = 2;

// The proxy's connection gauges and connect errors, summed over the workers.
struct ConnectionCounts {
    std::array<std::int64_t, kSides> upstream_open{};  // to each side's backends: in use + idle
    std::array<std::int64_t, kSides> upstream_idle{};  // kept for reuse
    std::array<std::array<std::uint64_t, kConnectErrors>, kSides> connect_errors{};
    std::int64_t in_flight = 0;  // client requests read but not yet answered
};

struct StatsReport {
    std::chrono::seconds window{60};
    std::chrono::seconds uptime{0};  // since the registry started: the since_start period
    PeriodStats last_minute;         // samples recorded in the current second and the 59 before it
    PeriodStats since_start;
    std::array<std::uint64_t, kRequestCells> requests{};  // since start, at request_cell()
    ConnectionCounts connections;                         // now
};

}  // namespace switchyard::stats
