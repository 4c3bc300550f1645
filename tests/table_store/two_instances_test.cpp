// Two switchyard instances on one table: what is written to the table routes on both, a door
// closed through one holds the tenant on the other, and a first write through both at once
// closes the door exactly once.
#include <thread>

#include "store_fixture.hpp"

namespace switchyard::test {
namespace {

using TwoInstancesTest = TableStoreTest;

TEST_F(TwoInstancesTest, AChangeInTheTableRoutesOnEveryInstance) {
    write_table(R"({"tenants": {"acme": {"stage": "reads"}}})");
    auto& a = start_instance("proxy-a");
    auto& b = start_instance("proxy-b");
    EXPECT_EQ(side_through(a, "acme"), "new");  // loaded at start
    EXPECT_EQ(side_through(b, "acme"), "new");
    EXPECT_EQ(side_through(b, "acme", "POST"), "legacy");

    write_table(R"({"tenants": {"acme": {"stage": "new"}, "globex": {"stage": "reads"}},
                    "rollout": {"stage": "new", "percent": 100}, "default_stage": "shadow"})");
    EXPECT_TRUE(routes_to(a, "globex", "new"));
    EXPECT_TRUE(routes_to(b, "globex", "new"));
    EXPECT_EQ(side_through(b, "acme", "POST"), "new");
    EXPECT_EQ(side_through(a, "cohort-tenant"), "new");  // the rollout arrived too
    EXPECT_EQ(readiness(b)["flags"]["seq"], 2);
    EXPECT_EQ(readiness(b)["flags"]["source"], "dynamodb");
    EXPECT_EQ(readiness(b)["flags"]["stale"], false);
}

TEST_F(TwoInstancesTest, ADoorClosedThroughOneHoldsTheTenantOnTheOther) {
    write_table(R"({"rollout": {"stage": "new", "percent": 100},
                    "tenants": {"acme": {"stage": "new"}}})");
    auto& a = start_instance("proxy-a");
    auto& b = start_instance("proxy-b");
    ASSERT_NO_FATAL_FAILURE(close_door_through(a, "acme", "door-acme-1"));
    ASSERT_NO_FATAL_FAILURE(close_door_through(a, "globex", "door-globex-1"));  // in the cohort
    ASSERT_TRUE(wait_until([&] { return readiness(b)["doors_closed"] == 2; }, 10s))
        << readiness(b).dump();

    // An explicit rollback is refused: the table keeps acme on new.
    const std::string rollback = R"({"rollout": {"stage": "new", "percent": 100},
                                     "tenants": {"acme": {"stage": "legacy"}}})";
    const auto refused = ctl(
        [&] {
            auto args = std::vector<std::string>{"import", "-", "--reason", "rollback"};
            for (const auto& arg : table_args()) args.push_back(arg);
            return args;
        }(),
        rollback);
    EXPECT_EQ(refused.exit_code, 6) << refused.err;
    EXPECT_NE(refused.err.find("door closed"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("door-acme-1"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("on proxy-a"), std::string::npos) << refused.err;

    // An implicit one (the cohort shrinks) moves the open-door tenants and holds the closed.
    auto args = std::vector<std::string>{"import", "-", "--reason", "roll the cohort back"};
    for (const auto& arg : table_args()) args.push_back(arg);
    const auto held = ctl(args, R"({"rollout": {"stage": "new", "percent": 0},
                                     "tenants": {"acme": {"stage": "new"}}})");
    EXPECT_EQ(held.exit_code, 0) << held.err;
    EXPECT_NE(held.out.find("held on new"), std::string::npos) << held.out;
    EXPECT_NE(held.out.find("globex"), std::string::npos) << held.out;
    EXPECT_TRUE(routes_to(b, "initech", "legacy"));  // open door: moved back
    EXPECT_EQ(side_through(b, "globex"), "new");     // closed door: held
    EXPECT_EQ(side_through(b, "globex", "POST"), "new");
    EXPECT_EQ(side_through(a, "globex"), "new");
}

TEST_F(TwoInstancesTest, FirstWritesThroughBothAtOnceCloseTheDoorOnce) {
    write_table(R"({"tenants": {"acme": {"stage": "new"}}})");
    auto& a = start_instance("proxy-a");
    auto& b = start_instance("proxy-b");
    ClientResponse through_a, through_b;
    std::thread first([&] {
        through_a = http_request(a.port(), "POST", "/orders",
                                 {{"X-Tenant-Id", "acme"}, {"X-Request-Id", "first-via-a"}}, "x");
    });
    std::thread second([&] {
        through_b = http_request(b.port(), "POST", "/orders",
                                 {{"X-Tenant-Id", "acme"}, {"X-Request-Id", "first-via-b"}}, "y");
    });
    first.join();
    second.join();
    EXPECT_EQ(through_a.status, 200) << through_a.describe();
    EXPECT_EQ(through_b.status, 200) << through_b.describe();
    EXPECT_EQ(side_of(through_a), "new");
    EXPECT_EQ(side_of(through_b), "new");

    const auto loaded = load_table();
    ASSERT_EQ(loaded.doors.size(), 1u);
    const auto& winner = loaded.doors[0];
    EXPECT_TRUE((winner.request_id == "first-via-a" && winner.instance == "proxy-a") ||
                (winner.request_id == "first-via-b" && winner.instance == "proxy-b"))
        << winner.request_id << " on " << winner.instance;
    // One closing, not two: the log has exactly the seed change and one door entry.
    EXPECT_EQ(loaded.seq, 2);
}

TEST_F(TwoInstancesTest, AnInstanceWithoutItsTableRefusesToStart) {
    auto config = table_config("proxy-a");
    config["flags"]["dynamodb"]["table"] = "no-such-table";
    ProxyProcess process(ProxyLaunch{SWITCHYARD_BINARY, config, "{}", {}});
    const auto code = process.wait_exit(20s);
    ASSERT_TRUE(code);
    EXPECT_EQ(*code, 1);
    EXPECT_NE(process.stderr_text().find("table no-such-table not found in us-east-1: create it "
                                         "with `switchyard ctl init-table`"),
              std::string::npos)
        << process.stderr_text();
}

}  // namespace
}  // namespace switchyard::test
