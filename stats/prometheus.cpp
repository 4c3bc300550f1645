#include "stats/prometheus.hpp"

#include <fmt/format.h>

namespace switchyard::stats {

namespace {

constexpr std::array<const char*, kSides> kSideNames{"legacy", "new"};
constexpr std::array<const char*, kStages> kStageNames{"legacy", "shadow", "reads", "new", "final"};
constexpr std::array<const char*, kStatusClasses> kClassNames{"1xx", "2xx", "3xx", "4xx", "5xx"};
constexpr std::array<const char*, kConnectErrors> kConnectErrorNames{"refused", "timeout"};
constexpr unsigned kFirstEdgeExponent = 6;  // 64 µs

// A label value as the text format wants it: backslash, double quote and newline escaped.
std::string label_value(std::string_view text) {
    std::string escaped;
    for (const char c : text) {
        if (c == '\\' || c == '"') escaped += '\\';
        if (c == '\n') {
            escaped += "\\n";
            continue;
        }
        escaped += c;
    }
    return escaped;
}

std::string route_label(const ProcessGauges& gauges, std::size_t slot) {
    const auto& labels = gauges.route_labels;
    if (slot == kRouteSlots - 1 && labels.size() > kRouteSlots) {
        return "(routes " + std::to_string(kRouteSlots) + " and later)";
    }
    // A route table shortened by a reload: counts of the old positions stay, by number.
    return slot < labels.size() ? label_value(labels[slot]) : "#" + std::to_string(slot + 1);
}

void header(std::string& out, const char* name, const char* type, const char* help) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

// One series per side: name{side="legacy"} and name{side="new"}.
template <typename Value>
void by_side(std::string& out, const char* name, const char* type, const char* help,
             const std::array<Value, kSides>& values) {
    header(out, name, type, help);
    for (std::size_t s = 0; s < kSides; ++s) {
        fmt::format_to(std::back_inserter(out), "{}{{side=\"{}\"}} {}\n", name, kSideNames[s],
                       values[s]);
    }
}

void histogram(std::string& out, const char* name, const char* label, const char* value,
               const LatencyHistogram& h) {
    std::uint64_t cumulative = 0;
    double sum_micros = 0;
    std::size_t bucket = 0;
    for (unsigned exponent = kFirstEdgeExponent; exponent <= buckets::kTopExponent; ++exponent) {
        const std::uint64_t edge = std::uint64_t{1} << exponent;
        // Buckets ending at or below the edge: power-of-two edges fall between buckets exactly.
        for (; bucket < LatencyHistogram::kBuckets &&
               buckets::lower_bound(bucket) + buckets::width(bucket) <= edge;
             ++bucket) {
            const auto samples = h.bucket_samples(bucket);
            cumulative += samples;
            sum_micros += static_cast<double>(samples) *
                          (buckets::lower_bound(bucket) + buckets::width(bucket) / 2.0);
        }
        fmt::format_to(std::back_inserter(out), "{}_bucket{{{}=\"{}\",le=\"{}\"}} {}\n", name,
                       label, value, static_cast<double>(edge) / 1e6, cumulative);
    }
    for (; bucket < LatencyHistogram::kBuckets; ++bucket) {
        sum_micros += static_cast<double>(h.bucket_samples(bucket)) *
                      (buckets::lower_bound(bucket) + buckets::width(bucket) / 2.0);
    }
    fmt::format_to(std::back_inserter(out), "{}_bucket{{{}=\"{}\",le=\"+Inf\"}} {}\n", name, label,
                   value, h.count());
    fmt::format_to(std::back_inserter(out), "{}_sum{{{}=\"{}\"}} {}\n", name, label, value,
                   sum_micros / 1e6);
    fmt::format_to(std::back_inserter(out), "{}_count{{{}=\"{}\"}} {}\n", name, label, value,
                   h.count());
}

void flag_store_metrics(std::string& out, const FlagStoreGauges& store) {
    header(out, "switchyard_flag_store_stale", "gauge",
           "1 while the flag table does not answer and the last good flags serve.");
    fmt::format_to(std::back_inserter(out), "switchyard_flag_store_stale {}\n",
                   store.stale ? 1 : 0);
    header(out, "switchyard_flag_store_sync_age_seconds", "gauge",
           "Seconds since the flag table was last read successfully.");
    fmt::format_to(std::back_inserter(out), "switchyard_flag_store_sync_age_seconds {:.3f}\n",
                   store.sync_age_seconds);
    header(out, "switchyard_flag_store_seq", "gauge",
           "The flag table's last change applied by this instance.");
    fmt::format_to(std::back_inserter(out), "switchyard_flag_store_seq {}\n", store.seq);
    header(out, "switchyard_flag_store_polls_total", "counter",
           "Polls of the flag table by result.");
    fmt::format_to(std::back_inserter(out),
                   "switchyard_flag_store_polls_total{{result=\"ok\"}} {}\n"
                   "switchyard_flag_store_polls_total{{result=\"failed\"}} {}\n",
                   store.polls - std::min(store.polls, store.poll_failures), store.poll_failures);
    header(out, "switchyard_flag_store_loads_total", "counter",
           "Full reads of the flag table (at start, hourly, and when the log cannot tell).");
    fmt::format_to(std::back_inserter(out), "switchyard_flag_store_loads_total {}\n", store.loads);
}

}  // namespace

std::string to_prometheus(const StatsReport& report, const ProcessGauges& gauges) {
    std::string out;
    const auto& all = report.since_start;

    header(out, "switchyard_build_info", "gauge", "Build of the running switchyard.");
    fmt::format_to(std::back_inserter(out), "switchyard_build_info{{version=\"{}\"}} 1\n",
                   gauges.version);
    header(out, "switchyard_uptime_seconds", "gauge", "Seconds since the proxy started.");
    fmt::format_to(std::back_inserter(out), "switchyard_uptime_seconds {}\n",
                   report.uptime.count());

    header(out, "switchyard_requests_total", "counter",
           "Proxied requests by route, the side that answered, the tenant's stage (none for "
           "weighted and pinned routes) and the status class sent to the client.");
    for (std::size_t route = 0; route < kRouteSlots; ++route) {
        for (std::size_t side = 0; side < kSides; ++side) {
            for (std::size_t stage = 0; stage < kStageSlots; ++stage) {
                for (std::size_t c = 0; c < kStatusClasses; ++c) {
                    const auto count = report.requests[request_cell(route, side, stage, c)];
                    if (count == 0) continue;  // a series appears with its first request
                    fmt::format_to(
                        std::back_inserter(out),
                        "switchyard_requests_total{{route=\"{}\",side=\"{}\",stage=\"{}\","
                        "code=\"{}\"}} {}\n",
                        route_label(gauges, route), kSideNames[side],
                        stage == kNoStage ? "none" : kStageNames[stage], kClassNames[c], count);
                }
            }
        }
    }
    std::array<std::uint64_t, kSides> upstream_errors{};
    for (std::size_t s = 0; s < kSides; ++s) upstream_errors[s] = all.sides[s].upstream_errors;
    by_side(out, "switchyard_upstream_errors_total", "counter",
            "Requests that got no usable answer from the backend (refused, reset, timeout).",
            upstream_errors);
    header(out, "switchyard_upstream_connect_errors_total", "counter",
           "Connections to a backend that could not be made, by side and reason.");
    for (std::size_t s = 0; s < kSides; ++s) {
        for (std::size_t e = 0; e < kConnectErrors; ++e) {
            fmt::format_to(
                std::back_inserter(out),
                "switchyard_upstream_connect_errors_total{{side=\"{}\",reason=\"{}\"}} {}\n",
                kSideNames[s], kConnectErrorNames[e], report.connections.connect_errors[s][e]);
        }
    }
    by_side(out, "switchyard_upstream_open_connections", "gauge",
            "Connections to each side's backends, in use or idle.",
            report.connections.upstream_open);
    by_side(out, "switchyard_upstream_idle_connections", "gauge",
            "Connections to each side's backends kept idle for reuse.",
            report.connections.upstream_idle);
    header(out, "switchyard_in_flight_requests", "gauge",
           "Client requests read and not yet answered.");
    fmt::format_to(std::back_inserter(out), "switchyard_in_flight_requests {}\n",
                   report.connections.in_flight);
    header(out, "switchyard_request_duration_seconds", "histogram",
           "Time from the request's first byte to the end of the answer, by side.");
    for (std::size_t s = 0; s < kSides; ++s) {
        histogram(out, "switchyard_request_duration_seconds", "side", kSideNames[s],
                  all.sides[s].latency);
    }
    header(out, "switchyard_upstream_duration_seconds", "histogram",
           "Time from sending to the backend to its answer, by side: old vs new latency.");
    for (std::size_t s = 0; s < kSides; ++s) {
        histogram(out, "switchyard_upstream_duration_seconds", "side", kSideNames[s],
                  all.sides[s].upstream_latency);
    }

    header(out, "switchyard_tenants_pinned", "gauge",
           "Tenants with an entry of their own in the flag document, by stage.");
    for (std::size_t st = 0; st < kStages; ++st) {
        fmt::format_to(std::back_inserter(out), "switchyard_tenants_pinned{{stage=\"{}\"}} {}\n",
                       kStageNames[st], gauges.tenants_pinned_by_stage[st]);
    }
    header(out, "switchyard_doors_closed", "gauge", "Tenants whose one-way door is closed.");
    fmt::format_to(std::back_inserter(out), "switchyard_doors_closed {}\n", gauges.doors_closed);
    header(out, "switchyard_snapshot_generation", "gauge",
           "Routing snapshots published (flags, config, doors).");
    fmt::format_to(std::back_inserter(out), "switchyard_snapshot_generation {}\n",
                   gauges.snapshot_generation);
    header(out, "switchyard_snapshot_age_seconds", "gauge",
           "Seconds since the flag document in use was loaded into the routing snapshot.");
    fmt::format_to(std::back_inserter(out), "switchyard_snapshot_age_seconds {:.3f}\n",
                   gauges.snapshot_age_seconds);
    header(out, "switchyard_flag_reloads_total", "counter",
           "Flag document reloads by source and result (applied, refused by the door rule, "
           "invalid, unchanged: already routing).");
    const auto source = label_value(gauges.flag_source);
    fmt::format_to(std::back_inserter(out),
                   "switchyard_flag_reloads_total{{source=\"{0}\",result=\"applied\"}} {1}\n"
                   "switchyard_flag_reloads_total{{source=\"{0}\",result=\"refused\"}} {2}\n"
                   "switchyard_flag_reloads_total{{source=\"{0}\",result=\"invalid\"}} {3}\n"
                   "switchyard_flag_reloads_total{{source=\"{0}\",result=\"unchanged\"}} {4}\n",
                   source, gauges.flag_reloads_applied, gauges.flag_reloads_refused,
                   gauges.flag_reloads_invalid, gauges.flag_reloads_unchanged);
    if (gauges.flag_store) flag_store_metrics(out, *gauges.flag_store);
    if (gauges.access_log_lines_dropped) {
        header(out, "switchyard_access_log_lines_dropped_total", "counter",
               "Access log lines dropped because the log's queue was full: requests never wait "
               "for the log.");
        fmt::format_to(std::back_inserter(out), "switchyard_access_log_lines_dropped_total {}\n",
                       *gauges.access_log_lines_dropped);
    }
    return out;
}

}  // namespace switchyard::stats
