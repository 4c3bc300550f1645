#include "stats/stats_json.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <string_view>

namespace switchyard::stats {
namespace {

using nlohmann::json;

json milliseconds(std::chrono::microseconds micros) {
    return static_cast<double>(micros.count()) / 1000.0;
}

json latency_json(const LatencyHistogram& latency) {
    if (latency.count() == 0) {
        return {{"p50", nullptr}, {"p90", nullptr}, {"p99", nullptr}, {"max", nullptr}};
    }
    return {{"p50", milliseconds(latency.percentile(0.50))},
            {"p90", milliseconds(latency.percentile(0.90))},
            {"p99", milliseconds(latency.percentile(0.99))},
            {"max", milliseconds(latency.max())}};
}

json traffic_json(const Traffic& traffic) {
    constexpr std::array<std::string_view, kStatusClasses> kClasses{"1xx", "2xx", "3xx", "4xx",
                                                                    "5xx"};
    json responses = json::object();
    for (std::size_t i = 0; i < kStatusClasses; ++i) {
        responses[std::string{kClasses[i]}] = traffic.responses_by_class[i];
    }
    return {{"requests", traffic.requests()},
            {"errors_5xx", traffic.errors_5xx()},
            {"upstream_errors", traffic.upstream_errors},
            {"responses", std::move(responses)},
            {"latency_ms", latency_json(traffic.latency)}};
}

json traffic_json(const SideTraffic& traffic) {
    auto out = traffic_json(static_cast<const Traffic&>(traffic));
    out["upstream_latency_ms"] = latency_json(traffic.upstream_latency);
    return out;
}

template <typename Group>
json periods_json(const Group& last_minute, const Group& since_start) {
    return {{"last_minute", traffic_json(last_minute)}, {"since_start", traffic_json(since_start)}};
}

}  // namespace

std::string to_json(const StatsReport& report) {
    const auto& minute = report.last_minute;
    const auto& start = report.since_start;
    json sides = json::object();
    for (const auto side : {Side::legacy, Side::new_}) {
        const auto i = index_of(side);
        sides[std::string{to_string(side)}] = periods_json(minute.sides[i], start.sides[i]);
    }
    json stages = json::object();
    for (const auto stage :
         {Stage::legacy, Stage::shadow, Stage::reads, Stage::new_, Stage::final_}) {
        const auto i = index_of(stage);
        stages[std::string{to_string(stage)}] = periods_json(minute.stages[i], start.stages[i]);
    }
    return json{{"window_seconds", report.window.count()},
                {"uptime_seconds", report.uptime.count()},
                {"sides", std::move(sides)},
                {"stages", std::move(stages)},
                {"total", periods_json(minute.total(), start.total())}}
        .dump();
}

}  // namespace switchyard::stats
