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
    RequestSample ok{Side::new_, Stage::new_, true, 200, false, 1500us, 2000us, 1};
    RequestSample failed{Side::legacy, Stage::legacy, true, 502, true, 30000us, 31000us, 1};
    RequestSample pinned{Side::legacy, Stage::legacy, false, 404, false, 100us, 200us, 0};
    for (int i = 0; i < 3; ++i) registry.worker(0).record(ok, start + 1s);
    registry.worker(0).record(failed, start + 1s);
    registry.worker(0).record(pinned, start + 1s);
    registry.worker(0).record({.status = 200, .route_index = 40}, start + 1s);
    auto& gauges_of_worker = registry.gauges(0);
    gauges_of_worker.upstream_opened(Side::legacy);
    gauges_of_worker.upstream_opened(Side::legacy);
    gauges_of_worker.set_upstream_idle(Side::legacy, 1);
    gauges_of_worker.connect_failed(Side::new_, ConnectError::timeout);
    gauges_of_worker.request_started();
    ProcessGauges gauges;
    gauges.version = "9.9.9";
    gauges.route_labels = {"cdn.example.com/static/", "/"};
    gauges.tenants_pinned_by_stage = {1, 0, 2, 3, 0};
    gauges.doors_closed = 4;
    gauges.flag_reloads_refused = 1;
    gauges.flag_reloads_unchanged = 2;
    gauges.access_log_lines_dropped = 5;
    return to_prometheus(registry.snapshot(start + 2s), gauges);
}

bool has_line(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) {
        if (l == line) return true;
    }
    return false;
}

TEST(Prometheus, CountsRequestsByRouteSideStageAndStatusClass) {
    const auto text = scrape();
    EXPECT_TRUE(has_line(
        text, R"(switchyard_requests_total{route="/",side="new",stage="new",code="2xx"} 3)"))
        << text;
    EXPECT_TRUE(has_line(
        text, R"(switchyard_requests_total{route="/",side="legacy",stage="legacy",code="5xx"} 1)"));
    // Series without a request are not written.
    EXPECT_EQ(text.find(R"(route="cdn.example.com/static/",side="new")"), std::string::npos);
    EXPECT_TRUE(has_line(
        text,
        R"(switchyard_requests_total{route="cdn.example.com/static/",side="legacy",stage="none",code="4xx"} 1)"));
    // A position the route table no longer has is named by its number.
    EXPECT_TRUE(has_line(
        text, R"(switchyard_requests_total{route="#32",side="legacy",stage="none",code="2xx"} 1)"));
    EXPECT_TRUE(has_line(text, R"(switchyard_upstream_errors_total{side="legacy"} 1)"));
}

TEST(Prometheus, ConnectionGaugesAndConnectErrorsAreSummedFromTheWorkers) {
    const auto text = scrape();
    EXPECT_TRUE(has_line(text, R"(switchyard_upstream_open_connections{side="legacy"} 2)")) << text;
    EXPECT_TRUE(has_line(text, R"(switchyard_upstream_idle_connections{side="legacy"} 1)"));
    EXPECT_TRUE(has_line(text, R"(switchyard_upstream_open_connections{side="new"} 0)"));
    EXPECT_TRUE(has_line(
        text, R"(switchyard_upstream_connect_errors_total{side="new",reason="timeout"} 1)"));
    EXPECT_TRUE(has_line(
        text, R"(switchyard_upstream_connect_errors_total{side="new",reason="refused"} 0)"));
    EXPECT_TRUE(has_line(text, "switchyard_in_flight_requests 1"));
}

TEST(Prometheus, LabelValuesAreEscaped) {
    const auto start = std::chrono::steady_clock::time_point{} + 1000s;
    StatsRegistry registry(1, start);
    registry.worker(0).record({.status = 200}, start);
    ProcessGauges gauges;
    gauges.route_labels = {"/a\\b\"c"};
    gauges.flag_source = "dynamodb";
    const auto text = to_prometheus(registry.snapshot(start), gauges);
    EXPECT_TRUE(has_line(
        text,
        R"(switchyard_requests_total{route="/a\\b\"c",side="legacy",stage="none",code="2xx"} 1)"))
        << text;
    EXPECT_TRUE(
        has_line(text, R"(switchyard_flag_reloads_total{source="dynamodb",result="applied"} 0)"));
}

TEST(Prometheus, HistogramBucketsAreCumulativeAndEndWithInf) {
    const auto text = scrape();
    // 1.5 ms upstream: below the 2.048 ms edge, above 1.024 ms.
    EXPECT_TRUE(has_line(
        text, R"(switchyard_upstream_duration_seconds_bucket{side="new",le="0.001024"} 0)"))
        << text;
    EXPECT_TRUE(has_line(
        text, R"(switchyard_upstream_duration_seconds_bucket{side="new",le="0.002048"} 3)"));
    EXPECT_TRUE(
        has_line(text, R"(switchyard_upstream_duration_seconds_bucket{side="new",le="+Inf"} 3)"));
    EXPECT_TRUE(has_line(text, R"(switchyard_upstream_duration_seconds_count{side="new"} 3)"));
    EXPECT_NE(text.find(R"(switchyard_upstream_duration_seconds_sum{side="new"} 0.004)"),
              std::string::npos);
}

TEST(Prometheus, ProcessGaugesAndTypesAreDeclared) {
    const auto text = scrape();
    EXPECT_TRUE(has_line(text, R"(switchyard_build_info{version="9.9.9"} 1)"));
    EXPECT_TRUE(has_line(text, R"(switchyard_tenants_pinned{stage="new"} 3)"));
    EXPECT_TRUE(has_line(text, "switchyard_doors_closed 4"));
    EXPECT_TRUE(
        has_line(text, R"(switchyard_flag_reloads_total{source="file",result="refused"} 1)"));
    EXPECT_TRUE(
        has_line(text, R"(switchyard_flag_reloads_total{source="file",result="unchanged"} 2)"));
    EXPECT_TRUE(has_line(text, "switchyard_access_log_lines_dropped_total 5"));
    EXPECT_TRUE(has_line(text, "# TYPE switchyard_access_log_lines_dropped_total counter"));
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

TEST(Prometheus, AccessLogDropsAreAMetricOnlyWithTheAccessLogOn) {
    const auto start = std::chrono::steady_clock::time_point{} + 1000s;
    StatsRegistry registry(1, start);
    const auto text = to_prometheus(registry.snapshot(start), ProcessGauges{});
    EXPECT_EQ(text.find("switchyard_access_log_lines_dropped_total"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::stats
