// The table has a bad minute: dynalite is killed while two instances carry traffic. Nothing
// they forward fails (their snapshots keep serving), a first write that would need a new door
// closing is held and answered 503 (never forwarded), admin changes answer 503 and views are
// still served, /readyz and /metrics say the flags are stale and the log says it once; once the
// table is back, a change through one instance routes on both.
#include <atomic>
#include <thread>

#include "store_fixture.hpp"

namespace switchyard::test {
namespace {

using TableOutageTest = TableStoreTest;

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t count = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
    return count;
}

TEST_F(TableOutageTest, NoForwardedRequestFailsAndBothInstancesConverge) {
    write_table(R"({"tenants": {"old": {"stage": "legacy"}, "moving": {"stage": "reads"},
                                "moved": {"stage": "new"}, "fresh": {"stage": "new"}}})");
    auto& a = start_instance("proxy-a");
    auto& b = start_instance("proxy-b");
    ASSERT_NO_FATAL_FAILURE(close_door_through(a, "moved", "door-moved"));
    ASSERT_TRUE(wait_until([&] { return readiness(b)["doors_closed"] == 1; }, 10s));

    // Bounded load through both: reads of every tenant, writes of those that need no closing.
    struct Step {
        std::string tenant, method, side;
    };
    const std::vector<Step> steps{{"old", "GET", "legacy"}, {"old", "POST", "legacy"},
                                  {"moving", "GET", "new"}, {"moving", "POST", "legacy"},
                                  {"moved", "GET", "new"},  {"moved", "POST", "new"},
                                  {"fresh", "GET", "new"},  {"nobody", "GET", "legacy"}};
    constexpr int kRoundsPerClient = 60;
    std::atomic<int> sent{0}, wrong{0};
    std::atomic<bool> killed{false};
    std::mutex failures_mutex;
    std::vector<std::string> failures;
    const auto drive = [&](const ProxyProcess& instance, int client) {
        for (int round = 0; round < kRoundsPerClient; ++round) {
            for (const auto& step : steps) {
                const auto response =
                    http_request(instance.port(), step.method, "/orders",
                                 {{"X-Tenant-Id", step.tenant}}, step.method == "POST" ? "x" : "");
                ++sent;
                if (response.status != 200 || side_of(response) != step.side) {
                    ++wrong;
                    std::lock_guard lock(failures_mutex);
                    failures.push_back(step.method + " " + step.tenant + " via client " +
                                       std::to_string(client) + ": " + response.describe());
                }
            }
            if (round == kRoundsPerClient / 3 && client == 0 && !killed.exchange(true)) {
                dynalite_->kill_hard();  // a third of the way in
            }
        }
    };
    std::thread a1([&] { drive(a, 0); }), a2([&] { drive(a, 1); }), b1([&] { drive(b, 2); }),
        b2([&] { drive(b, 3); });
    a1.join();
    a2.join();
    b1.join();
    b2.join();
    ASSERT_TRUE(killed);
    EXPECT_EQ(sent, 4 * kRoundsPerClient * static_cast<int>(steps.size()));
    EXPECT_EQ(wrong, 0) << (failures.empty() ? "" : failures.front());

    // Both know they are stale, and say why.
    ASSERT_TRUE(wait_until([&] { return readiness(a)["flags"]["stale"] == true; }, 10s));
    ASSERT_TRUE(wait_until([&] { return readiness(b)["flags"]["stale"] == true; }, 10s));
    const auto detail = readiness(b);
    EXPECT_EQ(detail["ready"], true) << detail.dump();  // still serving
    EXPECT_NE(detail["flags"].value("last_error", "").find("did not answer"), std::string::npos)
        << detail.dump();
    EXPECT_NE(metrics(a).find("switchyard_flag_store_stale 1"), std::string::npos);

    // A write that would close a door cannot be made durable: held, then 503, never forwarded.
    new_.clear_requests();
    const auto first_write = http_request(
        a.port(), "POST", "/orders", {{"X-Tenant-Id", "fresh"}, {"X-Request-Id", "held-1"}}, "x");
    EXPECT_EQ(first_write.status, 503) << first_write.describe();
    EXPECT_NE(first_write.body.find("door_not_durable"), std::string::npos) << first_write.body;
    for (const auto& request : new_.requests()) EXPECT_NE(request.method, "POST");
    // Admin changes answer 503, nothing written; what the instance routes by is still shown.
    const auto change =
        as_operator(a, "PUT", "/v1/tenants/old", {{"stage", "reads"}, {"reason", "during"}});
    EXPECT_EQ(change.status, 503) << change.describe();
    EXPECT_NE(change.body.find("store_unavailable"), std::string::npos) << change.body;
    const auto view = as_operator(b, "GET", "/v1/tenants/moved");
    EXPECT_EQ(view.status, 200) << view.describe();
    EXPECT_NE(view.body.find("door-moved"), std::string::npos) << view.body;
    // The table's own tools say it is unreachable (exit 3), rather than hang.
    auto args = std::vector<std::string>{"export", "--timeout-ms", "1000"};
    for (const auto& arg : table_args()) args.push_back(arg);
    EXPECT_EQ(ctl(args).exit_code, 3);

    dynalite_->restart();
    const auto after =
        as_operator(b, "PUT", "/v1/tenants/old", {{"stage", "reads"}, {"reason", "after"}});
    EXPECT_EQ(after.status, 200) << after.describe();
    EXPECT_TRUE(routes_to(a, "old", "new"));
    EXPECT_TRUE(routes_to(b, "old", "new"));
    EXPECT_TRUE(wait_until([&] { return readiness(a)["flags"]["stale"] == false; }, 10s));
    EXPECT_TRUE(wait_until([&] { return readiness(b)["flags"]["stale"] == false; }, 10s));
    const auto first_write_again =
        http_request(a.port(), "POST", "/orders", {{"X-Tenant-Id", "fresh"}}, "x");
    EXPECT_EQ(first_write_again.status, 200);
    EXPECT_EQ(side_of(first_write_again), "new");

    // One line when it went stale and one when it came back, not one per poll.
    for (auto* instance : {&a, &b}) {
        const auto log = instance->stderr_text();
        EXPECT_EQ(count_of(log, "does not answer"), 1u) << log;
        EXPECT_EQ(count_of(log, "answers again"), 1u) << log;
    }
}

}  // namespace
}  // namespace switchyard::test
