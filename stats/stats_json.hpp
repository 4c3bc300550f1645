#pragma once
// The body of GET /v1/stats. The shape is a contract (add fields, rename none):
//
// {"window_seconds": 60, "uptime_seconds": 3600,
//  "sides":  {"legacy": PERIODS, "new": PERIODS},                      with upstream_latency_ms
//  "stages": {"legacy": PERIODS, "shadow": …, "reads": …, "new": …, "final": …},  tenant routes
//  "total":  PERIODS}                                                  with upstream_latency_ms
// PERIODS = {"last_minute": TRAFFIC, "since_start": TRAFFIC}
// TRAFFIC = {"requests": 1200, "errors_5xx": 3, "upstream_errors": 1,
//            "responses": {"1xx": 0, "2xx": 1150, "3xx": 0, "4xx": 47, "5xx": 3},
//            "latency_ms": LATENCY,            total latency, as the client waited
//            "upstream_latency_ms": LATENCY}   sides and total only: the backend's own time
// LATENCY = {"p50": 1.234, "p90": 4.5, "p99": 12.0, "max": 30.1}  milliseconds, µs precision,
//           within 3.2 % of the true value; null each when there were no requests.
#include <string>

#include "stats/stats_report.hpp"

namespace switchyard::stats {

std::string to_json(const StatsReport& report);

}  // namespace switchyard::stats
