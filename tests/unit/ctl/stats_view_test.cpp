// The stats view and its verdict, from documents shaped like stats/stats_json.hpp's.
#include "ctl/stats_view.hpp"

#include <gtest/gtest.h>

namespace switchyard::ctl {
namespace {

using nlohmann::json;

json traffic(int requests, int errors_5xx, json p99, json p50 = 1.0) {
    json latency =
        requests == 0 ? json{{"p50", nullptr}, {"p90", nullptr}, {"p99", nullptr}, {"max", nullptr}}
                      : json{{"p50", p50}, {"p90", p99}, {"p99", p99}, {"max", p99}};
    return {{"requests", requests},
            {"errors_5xx", errors_5xx},
            {"upstream_errors", 0},
            {"responses", {{"2xx", requests - errors_5xx}, {"5xx", errors_5xx}}},
            {"latency_ms", latency},
            {"upstream_latency_ms", latency}};
}

json periods(json minute, json start) { return {{"last_minute", minute}, {"since_start", start}}; }

json document(json legacy_minute, json new_minute, json legacy_start, json new_start) {
    json stages = json::object();
    for (const char* stage : {"legacy", "shadow", "reads", "new", "final"}) {
        stages[stage] = periods(traffic(0, 0, nullptr), traffic(0, 0, nullptr));
    }
    stages["new"] = periods(new_minute, new_start);
    return {{"window_seconds", 60},
            {"uptime_seconds", 3725},
            {"sides",
             {{"legacy", periods(legacy_minute, legacy_start)},
              {"new", periods(new_minute, new_start)}}},
            {"stages", stages},
            {"total", periods(traffic(0, 0, nullptr), traffic(0, 0, nullptr))}};
}

TEST(StatsVerdict, SaysWhenNewIsSlower) {
    const auto body = document(traffic(100, 0, 6.6), traffic(100, 0, 12.0), traffic(100, 0, 6.6),
                               traffic(100, 0, 12.0));
    EXPECT_EQ(
        stats_verdict(body),
        "verdict (last minute): new is healthy and slower: 5xx 0.0% on new vs 0.0% on legacy; "
        "new p99 is 1.8x legacy's (12.0ms vs 6.60ms)\n");
}

TEST(StatsVerdict, SaysWhenNewIsFailing) {
    const auto body = document(traffic(200, 0, 5.0), traffic(100, 10, 5.2), traffic(200, 0, 5.0),
                               traffic(100, 10, 5.2));
    EXPECT_EQ(stats_verdict(body),
              "verdict (last minute): new is failing and as fast: 5xx 10.0% on new vs 0.0% on "
              "legacy; new p99 is 1.0x legacy's (5.20ms vs 5.00ms)\n");
}

TEST(StatsVerdict, FasterAndLargeRatios) {
    auto body = document(traffic(10, 0, 20.0), traffic(10, 0, 2.0), traffic(10, 0, 20.0),
                         traffic(10, 0, 2.0));
    EXPECT_NE(stats_verdict(body).find("healthy and faster"), std::string::npos);
    EXPECT_NE(stats_verdict(body).find("new p99 is 0.1x"), std::string::npos);
    body = document(traffic(10, 0, 1.0), traffic(10, 0, 250.0), traffic(10, 0, 1.0),
                    traffic(10, 0, 250.0));
    EXPECT_NE(stats_verdict(body).find("new p99 is 250x legacy's (250ms vs 1.00ms)"),
              std::string::npos)
        << stats_verdict(body);
}

TEST(StatsVerdict, FallsBackToSinceStartWhenTheLastMinuteIsQuiet) {
    const auto body = document(traffic(0, 0, nullptr), traffic(0, 0, nullptr), traffic(10, 0, 2.0),
                               traffic(10, 0, 2.0));
    EXPECT_EQ(stats_verdict(body).rfind("verdict (since start): new is healthy and as fast", 0), 0u)
        << stats_verdict(body);
}

TEST(StatsVerdict, NothingToCompare) {
    const auto body = document(traffic(0, 0, nullptr), traffic(0, 0, nullptr), traffic(10, 0, 2.0),
                               traffic(0, 0, nullptr));
    EXPECT_EQ(
        stats_verdict(body),
        "verdict: nothing to compare yet: since start legacy answered 10 requests and new 0\n");
}

TEST(StatsText, TablesPerPeriodForSidesAndTheStagesThatHadRequests) {
    const auto body = document(traffic(100, 0, 6.6, 0.412), traffic(100, 3, 12.0),
                               traffic(1000, 0, 6.6), traffic(1000, 3, 12.0));
    EXPECT_EQ(
        stats_text(body),
        "last minute (window 60s)\n"
        "SIDE    REQUESTS  5XX  5XX%  UPSTREAM ERR     P50     P90     P99     MAX\n"
        "legacy       100    0  0.0%             0  0.41ms  6.60ms  6.60ms  6.60ms\n"
        "new          100    3  3.0%             0  1.00ms  12.0ms  12.0ms  12.0ms\n"
        "total          0    0     -             0       -       -       -       -\n"
        "\n"
        "STAGE  REQUESTS  5XX  5XX%  UPSTREAM ERR     P50     P90     P99     MAX\n"
        "new         100    3  3.0%             0  1.00ms  12.0ms  12.0ms  12.0ms\n"
        "\n"
        "since start (uptime 1h2m)\n"
        "SIDE    REQUESTS  5XX  5XX%  UPSTREAM ERR     P50     P90     P99     MAX\n"
        "legacy      1000    0  0.0%             0  1.00ms  6.60ms  6.60ms  6.60ms\n"
        "new         1000    3  0.3%             0  1.00ms  12.0ms  12.0ms  12.0ms\n"
        "total          0    0     -             0       -       -       -       -\n"
        "\n"
        "STAGE  REQUESTS  5XX  5XX%  UPSTREAM ERR     P50     P90     P99     MAX\n"
        "new        1000    3  0.3%             0  1.00ms  12.0ms  12.0ms  12.0ms\n"
        "\n"
        "verdict (last minute): new is failing and slower: 5xx 3.0% on new vs 0.0% on legacy; "
        "new p99 is 1.8x legacy's (12.0ms vs 6.60ms)\n");
}

TEST(MillisecondsText, ThreeSignificantDigitsOrSo) {
    EXPECT_EQ(milliseconds_text(0.412), "0.41ms");
    EXPECT_EQ(milliseconds_text(12.34), "12.3ms");
    EXPECT_EQ(milliseconds_text(250.2), "250ms");
    EXPECT_EQ(milliseconds_text(nullptr), "-");
}

}  // namespace
}  // namespace switchyard::ctl
