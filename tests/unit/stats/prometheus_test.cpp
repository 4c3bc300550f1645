#include "stats/prometheus.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "stats/stats_registry.hpp"

namespace switchyard::stats {
namespace {

using namespace std::chrono_literals;

std::string scrape() {
    const auto start = std::chrono::steady_clock::time_point{} + 1000s;
    StatsRegistry registry(1, start);
    RequestSample ok{Side::new_, Stage::new_, true, 200, false, 1500us, 2000us};
    RequestSample failed{Side::legacy, Stage::legacy, true, 502, true, 30000us, 31000us};
    for (int i = 0; i < 3; ++i) registry.worker(0).record(ok, start + 1s);
    registry.worker(0).record(failed, start + 1s);
    ProcessGauges gauges;
    gauges.version = "9.9.9";
    gauges.tenants_pinned_by_stage = {1, 0, 2, 3, 0};
    gauges.doors_closed = 4;
    gauges.flag_reloads_refused = 1;
    return to_prometheus(registry.snapshot(start + 2s), gauges);
}

bool has_line(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) {
        if (l == line) return true;
    }
    return false;
}

TEST(Prometheus, CountsRequestsBySideAndStatusClass) {
    const auto text = scrape();
    EXPECT_TRUE(has_line(text, R"(switchyard_requests_total{side="new",code="2xx"} 3)")) << text;
    EXPECT_TRUE(has_line(text, R"(switchyard_requests_total{side="legacy",code="5xx"} 1)"));
    EXPECT_TRUE(has_line(text, R"(switchyard_upstream_errors_total{side="legacy"} 1)"));
    EXPECT_TRUE(has_line(text, R"(switchyard_stage_requests_total{stage="new",code="2xx"} 3)"));
}

TEST(Prometheus, HistogramBucketsAreCumulativeAndEndWithInf) {
    const auto text = scrape();
    // 1.5 ms upstream: below the 2.048 ms edge, above 1.024 ms.
    EXPECT_TRUE(has_line(text, R"(switchyard_upstream_duration_seconds_bucket{side="new",le="0.001024"} 0)")) << text;
    EXPECT_TRUE(has_line(text, R"(switchyard_upstream_duration_seconds_bucket{side="new",le="0.002048"} 3)"));
    EXPECT_TRUE(has_line(text, R"(switchyard_upstream_duration_seconds_bucket{side="new",le="+Inf"} 3)"));
    EXPECT_TRUE(has_line(text, R"(switchyard_upstream_duration_seconds_count{side="new"} 3)"));
    EXPECT_NE(text.find(R"(switchyard_upstream_duration_seconds_sum{side="new"} 0.004)"), std::string::npos);
}

TEST(Prometheus, ProcessGaugesAndTypesAreDeclared) {
    const auto text = scrape();
    EXPECT_TRUE(has_line(text, R"(switchyard_build_info{version="9.9.9"} 1)"));
    EXPECT_TRUE(has_line(text, R"(switchyard_tenants_pinned{stage="new"} 3)"));
    EXPECT_TRUE(has_line(text, "switchyard_doors_closed 4"));
    EXPECT_TRUE(has_line(text, R"(switchyard_flag_reloads_total{source="file",result="refused"} 1)"));
    EXPECT_TRUE(has_line(text, "# TYPE switchyard_request_duration_seconds histogram"));
    EXPECT_TRUE(has_line(text, "# TYPE switchyard_requests_total counter"));
}

TEST(Prometheus, TheFlagTablesStalenessIsAMetric) {
    const auto start = std::chrono::steady_clock::time_point{} + 1000s;
    StatsRegistry registry(1, start);
    ProcessGauges gauges;
    gauges.flag_source = "dynamodb";
    gauges.flag_store = FlagStoreGauges{true, 12.5, 42, 100, 7, 2};
    const auto text = to_prometheus(registry.snapshot(start), gauges);
    EXPECT_TRUE(has_line(text, "switchyard_flag_store_stale 1")) << text;
    EXPECT_TRUE(has_line(text, "switchyard_flag_store_sync_age_seconds 12.500"));
    EXPECT_TRUE(has_line(text, "switchyard_flag_store_seq 42"));
    EXPECT_TRUE(has_line(text, R"(switchyard_flag_store_polls_total{result="ok"} 93)"));
    EXPECT_TRUE(has_line(text, R"(switchyard_flag_store_polls_total{result="failed"} 7)"));
    EXPECT_TRUE(has_line(text, "switchyard_flag_store_loads_total 2"));
    EXPECT_TRUE(
        has_line(text, R"(switchyard_flag_reloads_total{source="dynamodb",result="applied"} 0)"));
    // The file store has none of them.
    EXPECT_EQ(scrape().find("switchyard_flag_store_"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::stats
