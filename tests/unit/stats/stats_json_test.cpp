#include "stats/stats_json.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "stats/stats_registry.hpp"

namespace switchyard::stats {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

const Clock::time_point kStart = Clock::time_point{} + 1000h;

json report_after(auto record) {
    StatsRegistry registry{1, kStart};
    record(registry.worker(0));
    return json::parse(to_json(registry.snapshot(kStart + 120s)));
}

TEST(StatsJson, HasTheDocumentedShape) {
    const auto body = report_after([](WorkerStats&) {});
    EXPECT_EQ(body["window_seconds"], 60);
    EXPECT_EQ(body["uptime_seconds"], 120);
    const auto traffic_keys = [](const json& traffic) {
        json keys = json::array();
        for (const auto& [key, value] : traffic.items()) keys.push_back(key);
        return keys;
    };
    const json with_upstream = {"errors_5xx", "latency_ms",      "requests",
                                "responses",  "upstream_errors", "upstream_latency_ms"};
    const json without_upstream = {"errors_5xx", "latency_ms", "requests", "responses",
                                   "upstream_errors"};
    for (const auto* side : {"legacy", "new"}) {
        for (const auto* period : {"last_minute", "since_start"}) {
            EXPECT_EQ(traffic_keys(body["sides"][side][period]), with_upstream) << side;
            EXPECT_EQ(traffic_keys(body["total"][period]), with_upstream);
        }
    }
    for (const auto* stage : {"legacy", "shadow", "reads", "new", "final"}) {
        for (const auto* period : {"last_minute", "since_start"}) {
            EXPECT_EQ(traffic_keys(body["stages"][stage][period]), without_upstream) << stage;
        }
    }
    EXPECT_EQ(body["stages"].size(), 5u);
    EXPECT_EQ(body["sides"].size(), 2u);
}

TEST(StatsJson, EmptyLatencyIsNullNotZero) {
    const auto body = report_after([](WorkerStats&) {});
    const json nulls = {{"p50", nullptr}, {"p90", nullptr}, {"p99", nullptr}, {"max", nullptr}};
    EXPECT_EQ(body["total"]["since_start"]["latency_ms"], nulls);
    EXPECT_EQ(body["total"]["since_start"]["requests"], 0);
}

TEST(StatsJson, CountsAndMillisecondsPerPeriod) {
    const auto body = report_after([](WorkerStats& worker) {
        const RequestSample sample{.side = Side::new_,
                                   .stage = Stage::reads,
                                   .tenant_route = true,
                                   .status = 502,
                                   .upstream_error = true,
                                   .upstream_latency = 1500us,
                                   .total_latency = 1800us};
        worker.record(sample, kStart);         // forgotten by the last minute at 120 s
        worker.record(sample, kStart + 100s);  // kept
        auto ok = sample;
        ok.status = 200;
        ok.upstream_error = false;
        ok.total_latency = 20us;
        worker.record(ok, kStart + 100s);
    });
    const auto& minute = body["sides"]["new"]["last_minute"];
    EXPECT_EQ(minute["requests"], 2);
    EXPECT_EQ(minute["errors_5xx"], 1);
    EXPECT_EQ(minute["upstream_errors"], 1);
    EXPECT_EQ(minute["responses"],
              (json{{"1xx", 0}, {"2xx", 1}, {"3xx", 0}, {"4xx", 0}, {"5xx", 1}}));
    EXPECT_EQ(minute["latency_ms"]["p50"], 0.02);
    EXPECT_EQ(minute["latency_ms"]["max"], 1.8);
    EXPECT_EQ(minute["upstream_latency_ms"]["max"], 1.5);
    EXPECT_EQ(body["sides"]["new"]["since_start"]["requests"], 3);
    EXPECT_EQ(body["stages"]["reads"]["since_start"]["errors_5xx"], 2);
    EXPECT_EQ(body["sides"]["legacy"]["since_start"]["requests"], 0);
    EXPECT_EQ(body["total"]["since_start"]["upstream_errors"], 2);
}

}  // namespace
}  // namespace switchyard::stats
