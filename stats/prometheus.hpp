#pragma once
// GET /metrics: the Prometheus text format (0.0.4), rendered at scrape time from the merged
// per-worker statistics and a few gauges of the running process. Nothing here runs on the
// request path. Latency histograms use power-of-two bucket edges (exact edges of the
// statistics' own buckets), from 64 µs to 67 s; their _sum is estimated from bucket midpoints
// (within 3 %), since the workers keep no exact sum.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stats/stats_report.hpp"

namespace switchyard::stats {

// The DynamoDB flag store's poller (flag_table/table_poller.hpp).
struct FlagStoreGauges {
    bool stale = false;           // the last poll of the table failed: serving the last good
    double sync_age_seconds = 0;  // since the last successful poll
    std::uint64_t seq = 0;        // the table's last change applied here
    std::uint64_t polls = 0;
    std::uint64_t poll_failures = 0;
    std::uint64_t loads = 0;  // full reads of the table, the one at start included
};

struct ProcessGauges {
    std::string version;
    // The route table in use, a label per position: "prefix", or "host" + "prefix".
    std::vector<std::string> route_labels;
    std::array<std::uint64_t, kStages> tenants_pinned_by_stage{};
    std::uint64_t doors_closed = 0;
    std::uint64_t snapshot_generation = 0;
    double snapshot_age_seconds = 0;   // since the flag document in use was loaded
    std::string flag_source = "file";  // where flag documents come from: "file", "dynamodb"
    std::uint64_t flag_reloads_applied = 0;
    std::uint64_t flag_reloads_refused = 0;  // a door or final rule said no
    std::uint64_t flag_reloads_invalid = 0;  // unreadable or invalid document
    // The document read is the one already routing (an admin change published it first).
    std::uint64_t flag_reloads_unchanged = 0;
    std::optional<FlagStoreGauges> flag_store;              // with the DynamoDB store only
    std::optional<std::uint64_t> access_log_lines_dropped;  // with the access log on only
};

std::string to_prometheus(const StatsReport& report, const ProcessGauges& gauges);

}  // namespace switchyard::stats
