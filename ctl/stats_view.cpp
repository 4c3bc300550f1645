#include "ctl/stats_view.hpp"

#include <array>
#include <cstdio>

#include "ctl/table.hpp"
#include "ctl/text_util.hpp"

namespace switchyard::ctl {

namespace {

using nlohmann::json;

// New is failing when its 5xx rate exceeds legacy's by this many percentage points.
constexpr double kFailingMarginPoints = 1.0;
// New is slower (faster) when its p99 is at least this factor above (below) legacy's.
constexpr double kSlowerFactor = 1.2;

constexpr std::array<const char*, 5> kStages{"legacy", "shadow", "reads", "new", "final"};

struct Period {
    const char* key;
    const char* title;
};
constexpr std::array<Period, 2> kPeriods{
    {{"last_minute", "last minute"}, {"since_start", "since start"}}};

double number(const json& value) { return value.is_number() ? value.get<double>() : 0.0; }

const json& traffic_of(const json& body, const char* group, const char* name, const char* period) {
    return member(member(member(body, group), name), period);
}

std::string count_text(const json& traffic, const char* key) {
    return std::to_string(static_cast<unsigned long long>(number(member(traffic, key))));
}

std::string rate_text(const json& traffic) {
    const auto requests = number(member(traffic, "requests"));
    if (requests <= 0) return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%",
                  100.0 * number(member(traffic, "errors_5xx")) / requests);
    return text;
}

double error_rate(const json& traffic) {
    const auto requests = number(member(traffic, "requests"));
    return requests > 0 ? 100.0 * number(member(traffic, "errors_5xx")) / requests : 0.0;
}

Table traffic_table(const char* first_column) {
    return Table(
        {first_column, "REQUESTS", "5XX", "5XX%", "UPSTREAM ERR", "P50", "P90", "P99", "MAX"},
        {Align::left, Align::right, Align::right, Align::right, Align::right, Align::right,
         Align::right, Align::right, Align::right});
}

void add_traffic_row(Table& table, const std::string& name, const json& traffic) {
    const auto& latency = member(traffic, "latency_ms");
    table.add_row(
        {name, count_text(traffic, "requests"), count_text(traffic, "errors_5xx"),
         rate_text(traffic), count_text(traffic, "upstream_errors"),
         milliseconds_text(member(latency, "p50")), milliseconds_text(member(latency, "p90")),
         milliseconds_text(member(latency, "p99")), milliseconds_text(member(latency, "max"))});
}

std::string duration_text(long long seconds) {
    if (seconds < 120) return std::to_string(seconds) + "s";
    if (seconds < 3600)
        return std::to_string(seconds / 60) + "m" + std::to_string(seconds % 60) + "s";
    return std::to_string(seconds / 3600) + "h" + std::to_string(seconds % 3600 / 60) + "m";
}

std::string ratio_text(double ratio) {
    char text[32];
    std::snprintf(text, sizeof text, ratio < 10 ? "%.1fx" : "%.0fx", ratio);
    return text;
}

}  // namespace

std::string milliseconds_text(const json& value) {
    if (!value.is_number()) return "-";
    const double ms = value.get<double>();
    char text[32];
    std::snprintf(text, sizeof text, ms < 10 ? "%.2fms" : ms < 100 ? "%.1fms" : "%.0fms", ms);
    return text;
}

std::string stats_verdict(const json& body) {
    const Period* chosen = nullptr;
    for (const auto& period : kPeriods) {
        if (number(member(traffic_of(body, "sides", "legacy", period.key), "requests")) > 0 &&
            number(member(traffic_of(body, "sides", "new", period.key), "requests")) > 0) {
            chosen = &period;
            break;
        }
    }
    if (!chosen) {
        return "verdict: nothing to compare yet: since start legacy answered " +
               count_text(traffic_of(body, "sides", "legacy", "since_start"), "requests") +
               " requests and new " +
               count_text(traffic_of(body, "sides", "new", "since_start"), "requests") + "\n";
    }
    const auto& legacy = traffic_of(body, "sides", "legacy", chosen->key);
    const auto& fresh = traffic_of(body, "sides", "new", chosen->key);
    const bool failing = error_rate(fresh) > error_rate(legacy) + kFailingMarginPoints;
    const auto& legacy_p99 = member(member(legacy, "latency_ms"), "p99");
    const auto& new_p99 = member(member(fresh, "latency_ms"), "p99");
    std::string speed = "as fast";
    std::string latency;
    if (number(legacy_p99) > 0 && new_p99.is_number()) {
        const double ratio = number(new_p99) / number(legacy_p99);
        if (ratio >= kSlowerFactor) speed = "slower";
        if (ratio <= 1 / kSlowerFactor) speed = "faster";
        latency = "; new p99 is " + ratio_text(ratio) + " legacy's (" + milliseconds_text(new_p99) +
                  " vs " + milliseconds_text(legacy_p99) + ")";
    }
    return std::string("verdict (") + chosen->title + "): new is " +
           (failing ? "failing" : "healthy") + " and " + speed + ": 5xx " + rate_text(fresh) +
           " on new vs " + rate_text(legacy) + " on legacy" + latency + "\n";
}

std::string stats_text(const json& body) {
    std::string out;
    for (const auto& period : kPeriods) {
        const bool minute = std::string_view(period.key) == "last_minute";
        out += std::string(period.title) + " (" +
               (minute ? "window " + duration_text(static_cast<long long>(
                                         number(member(body, "window_seconds"))))
                       : "uptime " + duration_text(static_cast<long long>(
                                         number(member(body, "uptime_seconds"))))) +
               ")\n";
        auto sides = traffic_table("SIDE");
        for (const char* side : {"legacy", "new"}) {
            add_traffic_row(sides, side, traffic_of(body, "sides", side, period.key));
        }
        add_traffic_row(sides, "total", member(member(body, "total"), period.key));
        out += sides.render();

        // Only stages that ever had requests: an empty ladder rung is noise at 3 a.m.
        auto stages = traffic_table("STAGE");
        for (const char* stage : kStages) {
            if (number(member(traffic_of(body, "stages", stage, "since_start"), "requests")) > 0) {
                add_traffic_row(stages, stage, traffic_of(body, "stages", stage, period.key));
            }
        }
        out += "\n";
        out += stages.rows() > 0 ? stages.render() : "no requests on tenant routes\n";
        out += "\n";
    }
    return out + stats_verdict(body);
}

}  // namespace switchyard::ctl
