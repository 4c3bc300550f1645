// GET /metrics through the real binary (issue 7): the counters and gauges an operator graphs move
// as traffic and errors happen. Each scenario drives the proxy, then reads the scrape the way
// Prometheus would (no token, the text format 0.0.4).
#include <fstream>
#include <future>
#include <optional>
#include <sstream>

#include "admin_fixture.hpp"

namespace switchyard::test {
namespace {

class Metrics : public AdminTest {
  protected:
    std::string scrape() const {
        const auto response = call("GET", "/metrics", "");
        EXPECT_EQ(response.status, 200) << response.describe();
        EXPECT_NE(response.headers.value_or_empty("Content-Type").find("version=0.0.4"),
                  std::string::npos);
        return response.body;
    }

    // The value of one series ("name{labels}" exactly as written), or nothing when absent.
    static std::optional<double> value_of(const std::string& text, const std::string& series) {
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
                line[series.size()] == ' ') {
                return std::stod(line.substr(series.size() + 1));
            }
        }
        return std::nullopt;
    }

    // Polls the scrape (bounded) until `series` reads `expected`: a worker publishes a gauge
    // just after the client has its answer.
    bool reaches(const std::string& series, double expected) const {
        return wait_until([&] { return value_of(scrape(), series) == expected; }, 5s, 20ms);
    }

    void write_flag_file(const std::string& text) const {
        std::ofstream out(flag_file_, std::ios::trunc);
        out << text;
    }
};

TEST_F(Metrics, RequestsCountByRouteSideStageAndStatusClass) {
    auto config = admin_config();
    config["routes"] = {{{"prefix", "/static/"}, {"policy", "pinned"}, {"side", "new"}},
                        {{"prefix", "/"}, {"policy", "tenant"}, {"no_tenant", "legacy"}}};
    ASSERT_NO_FATAL_FAILURE(
        launch_admin(FlagDocument{}.tenant("acme", "new").tenant("globex", "reads"), config));
    for (int i = 0; i < 3; ++i) ASSERT_EQ(get_as("acme", "/orders").status, 200);
    ASSERT_EQ(get_as("globex", "/orders").status, 200);  // reads: a GET goes to new
    ASSERT_EQ(get("/static/app.js").status, 200);
    legacy_.set_reply(OriginReply::with_status(503, "down"));
    ASSERT_EQ(get_as("initech", "/orders").status, 503);  // default stage legacy
    // A request is counted just after its answer is sent: wait for the last ones.
    ASSERT_TRUE(reaches(R"(switchyard_request_duration_seconds_count{side="new"})", 5));
    ASSERT_TRUE(reaches(R"(switchyard_request_duration_seconds_count{side="legacy"})", 1));

    const auto text = scrape();
    EXPECT_EQ(
        value_of(text, R"(switchyard_requests_total{route="/",side="new",stage="new",code="2xx"})"),
        3)
        << text;
    EXPECT_EQ(
        value_of(text,
                 R"(switchyard_requests_total{route="/",side="new",stage="reads",code="2xx"})"),
        1);
    EXPECT_EQ(
        value_of(
            text,
            R"(switchyard_requests_total{route="/static/",side="new",stage="none",code="2xx"})"),
        1);
    EXPECT_EQ(
        value_of(text,
                 R"(switchyard_requests_total{route="/",side="legacy",stage="legacy",code="5xx"})"),
        1);
    EXPECT_EQ(value_of(text, R"(switchyard_request_duration_seconds_count{side="new"})"), 5);
    EXPECT_EQ(value_of(text, R"(switchyard_upstream_duration_seconds_count{side="legacy"})"), 1);
}

TEST_F(Metrics, ConnectErrorsCountARefusedBackend) {
    auto config = admin_config();
    config["backends"]["new"]["urls"] = {"http://127.0.0.1:" + std::to_string(unused_port())};
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "new"), config));
    ASSERT_EQ(value_of(scrape(),
                       R"(switchyard_upstream_connect_errors_total{side="new",reason="refused"})"),
              0);
    ASSERT_EQ(get_as("acme").status, 502);
    ASSERT_EQ(get_as("acme").status, 502);
    ASSERT_TRUE(reaches(R"(switchyard_upstream_errors_total{side="new"})", 2));  // after the answer

    const auto text = scrape();
    EXPECT_EQ(
        value_of(text, R"(switchyard_upstream_connect_errors_total{side="new",reason="refused"})"),
        2)
        << text;
    EXPECT_EQ(
        value_of(text,
                 R"(switchyard_upstream_connect_errors_total{side="legacy",reason="refused"})"),
        0);
    EXPECT_EQ(value_of(text, R"(switchyard_upstream_errors_total{side="new"})"), 2);
    EXPECT_EQ(
        value_of(text, R"(switchyard_requests_total{route="/",side="new",stage="new",code="5xx"})"),
        2);
    EXPECT_EQ(value_of(text, R"(switchyard_upstream_open_connections{side="new"})"), 0);
}

TEST_F(Metrics, PoolGaugesShowOpenAndIdleConnectionsPerSide) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "new")));
    EXPECT_TRUE(reaches(R"(switchyard_upstream_open_connections{side="legacy"})", 0));
    ASSERT_EQ(get_as("globex").status, 200);  // legacy: one connection, kept for reuse
    EXPECT_TRUE(reaches(R"(switchyard_upstream_idle_connections{side="legacy"})", 1)) << scrape();
    EXPECT_TRUE(reaches(R"(switchyard_upstream_open_connections{side="legacy"})", 1));
    EXPECT_TRUE(reaches(R"(switchyard_upstream_open_connections{side="new"})", 0));

    // The backend closes after its answer: the proxy drops the connection instead of pooling it.
    auto closing = OriginReply::with_status(200, "bye");
    closing.keep_alive = false;
    legacy_.set_reply(closing);
    ASSERT_EQ(get_as("globex").status, 200);
    EXPECT_TRUE(reaches(R"(switchyard_upstream_open_connections{side="legacy"})", 0)) << scrape();
    EXPECT_TRUE(reaches(R"(switchyard_upstream_idle_connections{side="legacy"})", 0));
}

TEST_F(Metrics, InFlightCountsARequestWaitingForItsBackend) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}));
    legacy_.set_reply(OriginReply::delayed(1500ms));
    auto slow = std::async(std::launch::async, [this] { return get_as("globex"); });
    EXPECT_TRUE(reaches("switchyard_in_flight_requests", 1)) << scrape();
    EXPECT_EQ(slow.get().status, 200);
    EXPECT_TRUE(reaches("switchyard_in_flight_requests", 0)) << scrape();
}

TEST_F(Metrics, FlagReloadsCountBySourceAndResult) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}));
    const std::string applied = R"(switchyard_flag_reloads_total{source="file",result="applied"})";
    const std::string invalid = R"(switchyard_flag_reloads_total{source="file",result="invalid"})";
    const auto applied_at_start = value_of(scrape(), applied).value_or(-1);
    ASSERT_GE(applied_at_start, 1);
    EXPECT_EQ(value_of(scrape(), invalid), 0);

    write_flag_file(R"({"default_stage": "nwe"})");
    EXPECT_TRUE(reaches(invalid, 1)) << scrape();
    write_flag_file(FlagDocument{}.tenant("acme", "new").json());
    EXPECT_TRUE(reaches(applied, applied_at_start + 1)) << scrape();
    EXPECT_TRUE(routes_to("acme", "new"));
    const auto text = scrape();
    EXPECT_EQ(value_of(text, R"(switchyard_tenants_pinned{stage="new"})"), 1) << text;
    EXPECT_LT(value_of(text, "switchyard_snapshot_age_seconds").value_or(99), 5);
    EXPECT_EQ(value_of(text, "switchyard_doors_closed"), 0);
    EXPECT_NE(text.find("switchyard_build_info{version=\""), std::string::npos);
    EXPECT_EQ(value_of(text, "switchyard_access_log_lines_dropped_total"), 0) << "logged, all";
}

// An admin change writes the file and routes at once; the watcher then reads that same file. It
// must not apply it a second time (a second publication, a second door check of the document,
// and for a big document a second parse): it counts it as unchanged.
TEST_F(Metrics, AdminChangeIsNotAppliedAgainWhenTheWatcherReadsIt) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "legacy")));
    const std::string applied = R"(switchyard_flag_reloads_total{source="file",result="applied"})";
    const std::string unchanged =
        R"(switchyard_flag_reloads_total{source="file",result="unchanged"})";
    const auto before = scrape();
    const auto applied_before = value_of(before, applied).value_or(-1);
    ASSERT_EQ(value_of(before, unchanged), 0) << before;

    ASSERT_EQ(put_stage("acme", "new").status, 200);
    const auto generation = value_of(scrape(), "switchyard_snapshot_generation").value_or(-1);
    EXPECT_TRUE(routes_to("acme", "new"));
    EXPECT_TRUE(reaches(unchanged, 1)) << "the watcher never read the admin change: " << scrape();
    const auto after = scrape();
    EXPECT_EQ(value_of(after, applied), applied_before) << after;
    EXPECT_EQ(value_of(after, "switchyard_snapshot_generation"), generation)
        << "the watcher published the admin change again: " << after;
    EXPECT_TRUE(routes_to("acme", "new"));
}

}  // namespace
}  // namespace switchyard::test
