// The admin API on instances that share a table: a move through one routes on the other, two
// changes decided on the same version from both at once let exactly one win (412 for the
// other), a door closed by traffic through one refuses a rollback through the other, and the
// audit is the table's, the same through every instance.
#include <thread>

#include "store_fixture.hpp"

namespace switchyard::test {
namespace {

using TableAdminTest = TableStoreTest;

nlohmann::json json_of(const ClientResponse& response) {
    return nlohmann::json::parse(response.body, nullptr, false);
}

TEST_F(TableAdminTest, AMoveThroughOneInstanceRoutesOnTheOtherAndIsAuditedInTheTable) {
    auto& a = start_instance("proxy-a");
    auto& b = start_instance("proxy-b");
    const auto moved =
        as_operator(a, "PUT", "/v1/tenants/acme", {{"stage", "new"}, {"reason", "wave 2, INC-7"}});
    ASSERT_EQ(moved.status, 200) << moved.describe();
    EXPECT_EQ(side_through(a, "acme"), "new");  // routed here before it was answered
    EXPECT_TRUE(routes_to(b, "acme", "new"));
    EXPECT_EQ(load_table().flags->find("acme")->stage, Stage::new_);

    // The same version through either instance, and the same audit.
    ASSERT_TRUE(wait_until(
        [&] {
            return as_operator(b, "GET", "/v1/tenants/acme").headers.value_or_empty("ETag") ==
                   moved.headers.value_or_empty("ETag");
        },
        10s));
    const auto audit = json_of(as_operator(b, "GET", "/v1/audit?limit=5"));
    ASSERT_TRUE(audit.is_object()) << audit;
    ASSERT_EQ(audit["entries"].size(), 1u) << audit;
    EXPECT_EQ(audit["entries"][0]["tenant"], "acme");
    EXPECT_EQ(audit["entries"][0]["token"], "alice");
    EXPECT_EQ(audit["entries"][0]["reason"], "wave 2, INC-7");
    EXPECT_EQ(audit["entries"][0]["after"]["stage"], "new");

    // A rollout change through B arrives on A.
    const auto rollout = as_operator(b, "PUT", "/v1/rollout",
                                     {{"stage", "reads"}, {"percent", 100}, {"reason", "wave 3"}});
    ASSERT_EQ(rollout.status, 200) << rollout.describe();
    EXPECT_TRUE(routes_to(a, "some-cohort-tenant", "new"));
    EXPECT_EQ(side_through(a, "some-cohort-tenant", "POST"), "legacy");
}

TEST_F(TableAdminTest, TwoChangesOnTheSameVersionFromBothInstancesExactlyOneWins) {
    write_table(R"({"tenants": {"acme": {"stage": "reads"}}})");
    auto& a = start_instance("proxy-a");
    auto& b = start_instance("proxy-b");
    for (int round = 0; round < 3; ++round) {
        const auto read = as_operator(a, "GET", "/v1/tenants/acme");
        const auto version = read.headers.value_or_empty("ETag");
        ASSERT_FALSE(version.empty()) << read.describe();
        ASSERT_TRUE(wait_until(
            [&] {
                return as_operator(b, "GET", "/v1/tenants/acme").headers.value_or_empty("ETag") ==
                       version;
            },
            10s));
        const std::string stage_a = round % 2 ? "reads" : "shadow";
        const std::string stage_b = round % 2 ? "legacy" : "new";
        ClientResponse through_a, through_b;
        std::thread first([&] {
            through_a = as_operator(a, "PUT", "/v1/tenants/acme",
                                    {{"stage", stage_a}, {"reason", "a"}}, {{"If-Match", version}});
        });
        std::thread second([&] {
            through_b = as_operator(b, "PUT", "/v1/tenants/acme",
                                    {{"stage", stage_b}, {"reason", "b"}}, {{"If-Match", version}});
        });
        first.join();
        second.join();
        const int won = (through_a.status == 200) + (through_b.status == 200);
        ASSERT_EQ(won, 1) << through_a.describe() << "\n" << through_b.describe();
        const auto& loser = through_a.status == 200 ? through_b : through_a;
        EXPECT_EQ(loser.status, 412) << loser.describe();
        const auto winner = through_a.status == 200 ? stage_a : stage_b;
        EXPECT_EQ(load_table().flags->find("acme")->stage, parse_stage(winner));
    }
}

TEST_F(TableAdminTest, ADoorClosedThroughOneInstanceRefusesARollbackThroughTheOther) {
    write_table(R"({"tenants": {"acme": {"stage": "new"}}})");
    auto& a = start_instance("proxy-a");
    auto& b = start_instance("proxy-b");
    ASSERT_NO_FATAL_FAILURE(close_door_through(a, "acme", "door-via-a"));
    const auto refused =
        as_operator(b, "PUT", "/v1/tenants/acme", {{"stage", "legacy"}, {"reason", "rollback"}});
    EXPECT_EQ(refused.status, 409) << refused.describe();
    const auto body = json_of(refused);
    EXPECT_EQ(body["error"], "door_closed") << body;
    EXPECT_NE(body.value("message", "").find("door-via-a"), std::string::npos) << body;
    EXPECT_NE(body.value("message", "").find("on proxy-a"), std::string::npos) << body;
    EXPECT_EQ(load_table().flags->find("acme")->stage, Stage::new_);

    // Forced through B: the door reopens everywhere and A routes acme to legacy.
    const auto forced = as_operator(b, "PUT", "/v1/tenants/acme",
                                    {{"stage", "legacy"}, {"reason", "restored"}, {"force", true}});
    ASSERT_EQ(forced.status, 200) << forced.describe();
    EXPECT_TRUE(load_table().doors.empty());
    EXPECT_TRUE(routes_to(a, "acme", "legacy"));
    EXPECT_TRUE(wait_until([&] { return readiness(a)["doors_closed"] == 0; }, 10s));
}

TEST_F(TableAdminTest, UnpinningAndPinningAgainGivesANewVersion) {
    write_table(R"({"tenants": {"acme": {"stage": "reads"}}})");
    auto& a = start_instance("proxy-a");
    const auto first = as_operator(a, "GET", "/v1/tenants/acme").headers.value_or_empty("ETag");
    ASSERT_EQ(as_operator(a, "DELETE", "/v1/tenants/acme?reason=back").status, 200);
    ASSERT_EQ(
        as_operator(a, "PUT", "/v1/tenants/acme", {{"stage", "reads"}, {"reason", "again"}}).status,
        200);
    // The same content as at first, another version: an If-Match of the first one fails.
    const auto stale = as_operator(a, "PUT", "/v1/tenants/acme",
                                   {{"stage", "new"}, {"reason", "late"}}, {{"If-Match", first}});
    EXPECT_EQ(stale.status, 412) << stale.describe();
}

}  // namespace
}  // namespace switchyard::test
