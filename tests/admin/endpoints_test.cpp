// Each admin endpoint's success path through the real binary (issue 5): what the client got, and
// the effect on the flag file, the audit log and the side the proxied requests reach.
#include "admin_fixture.hpp"
#include "raw_connection.hpp"

namespace switchyard::test {
namespace {

using nlohmann::json;

class AdminEndpoints : public AdminTest {};

TEST_F(AdminEndpoints, HealthzAnswersWithoutAToken) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}));
    const auto response = call("GET", "/healthz", "");
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(json_of(response).value("status", ""), "ok");
}

TEST_F(AdminEndpoints, ReadyzSaysReadyOnceListeningWithFlagsLoaded) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "new")));
    const auto response = call("GET", "/readyz", "");
    ASSERT_EQ(response.status, 200) << response.describe();
    const auto body = json_of(response);
    EXPECT_EQ(body.value("ready", false), true) << response.body;
}

TEST_F(AdminEndpoints, HeadIsAnsweredWithoutABody) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}));
    // Two requests on one connection: a body after the HEAD answer would be read as the start
    // of the next response (RFC 9110 9.3.2: HEAD answers carry no content).
    const auto received = raw_exchange(admin_port(),
                                       "HEAD /healthz HTTP/1.1\r\nHost: admin\r\n\r\n"
                                       "GET /healthz HTTP/1.1\r\nHost: admin\r\n"
                                       "Connection: close\r\n\r\n");
    ASSERT_EQ(status_of(received), 200) << received;
    const auto head_end = received.find("\r\n\r\n");
    ASSERT_NE(head_end, std::string::npos) << received;
    EXPECT_EQ(received.compare(head_end + 4, 9, "HTTP/1.1 "), 0)
        << "bytes after the HEAD answer's header are not the next response:\n"
        << received;
}

TEST_F(AdminEndpoints, TenantListPagesWithLimitAndAfter) {
    FlagDocument flags;
    for (const char* tenant : {"t1", "t2", "t3", "t4", "t5"}) flags.tenant(tenant, "reads");
    ASSERT_NO_FATAL_FAILURE(launch_admin(flags));

    std::vector<std::string> seen;
    std::string after;
    for (int page = 0; page < 5; ++page) {  // bounded: 5 tenants, 2 a page, so 3 pages
        const auto response =
            as_viewer("GET", "/v1/tenants?limit=2" + (after.empty() ? "" : "&after=" + after));
        ASSERT_EQ(response.status, 200) << response.describe();
        const auto body = json_of(response);
        EXPECT_EQ(body.value("total", 0), 5);
        ASSERT_TRUE(body["tenants"].is_array()) << response.body;
        EXPECT_LE(body["tenants"].size(), 2u);
        for (const auto& tenant : body["tenants"]) {
            seen.push_back(tenant.value("tenant", ""));
            EXPECT_EQ(tenant.value("stage", ""), "reads");
        }
        if (body["next"].is_null()) break;
        after = body["next"].get<std::string>();
        EXPECT_EQ(after, seen.back());
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"t1", "t2", "t3", "t4", "t5"}));
}

TEST_F(AdminEndpoints, TenantGetCarriesItsVersionAsETag) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "reads")));
    const auto response = as_viewer("GET", "/v1/tenants/acme");
    ASSERT_EQ(response.status, 200) << response.describe();
    const auto body = json_of(response);
    EXPECT_EQ(body.value("tenant", ""), "acme");
    EXPECT_EQ(body.value("stage", ""), "reads");
    EXPECT_EQ(body.value("owner", ""), "legacy");
    EXPECT_EQ(body["door"].value("closed", true), false);
    ASSERT_TRUE(body.contains("version")) << response.body;
    EXPECT_FALSE(body["version"].get<std::string>().empty());
    EXPECT_EQ(response.headers.value_or_empty("ETag"), body["version"].get<std::string>());
}

TEST_F(AdminEndpoints, PutTenantRoutesAtOnceIsOnDiskAndAudited) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "legacy")));
    ASSERT_EQ(side_of_tenant("acme"), "legacy");

    const auto response = as_operator("PUT", "/v1/tenants/acme",
                                      {{"stage", "new"}, {"reason", "wave 1: acme signed off"}},
                                      {{"X-Request-Id", "put-acme-1"}});
    ASSERT_EQ(response.status, 200) << response.describe();
    // No wait: the running snapshot switched before the answer went out.
    EXPECT_EQ(side_of_tenant("acme"), "new");
    EXPECT_EQ(side_of_tenant("acme", "POST"), "new");

    const auto body = json_of(response);
    EXPECT_EQ(body["tenant"].value("stage", ""), "new");
    EXPECT_EQ(body["before"], (json{{"stage", "legacy"}}));
    EXPECT_EQ(body["after"], (json{{"stage", "new"}}));
    EXPECT_EQ(response.headers.value_or_empty("ETag"), body["tenant"].value("version", "?"));
    EXPECT_EQ(response.headers.value_or_empty("X-Request-Id"), "put-acme-1");
    EXPECT_EQ(stage_on_disk("acme"), "new") << flag_file_text();

    const auto audit = audit_lines();
    ASSERT_EQ(audit.size(), 1u);
    const auto& entry = audit[0];
    EXPECT_TRUE(entry.contains("time") && entry["time"].is_string()) << entry.dump();
    EXPECT_EQ(entry.value("token", ""), kOperator);
    EXPECT_EQ(entry.value("action", ""), "set_tenant");
    EXPECT_EQ(entry.value("tenant", ""), "acme");
    EXPECT_EQ(entry["before"], (json{{"stage", "legacy"}}));
    EXPECT_EQ(entry["after"], (json{{"stage", "new"}}));
    EXPECT_EQ(entry.value("reason", ""), "wave 1: acme signed off");
    EXPECT_EQ(entry.value("force", true), false);
    EXPECT_EQ(entry.value("request_id", ""), "put-acme-1");
}

TEST_F(AdminEndpoints, DeleteTenantUnpinsWithTheReasonInTheBody) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "reads")));
    ASSERT_EQ(side_of_tenant("acme"), "new");

    const auto response =
        as_operator("DELETE", "/v1/tenants/acme", {{"reason", "back to the default"}});
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(side_of_tenant("acme"), "legacy");
    EXPECT_EQ(json_of(response)["tenant"].value("why", ""), "default");
    EXPECT_EQ(stage_on_disk("acme"), "") << flag_file_text();
    const auto audit = audit_lines();
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].value("action", ""), "unpin_tenant");
    EXPECT_EQ(audit[0]["before"], (json{{"stage", "reads"}}));
    EXPECT_TRUE(audit[0]["after"].is_null()) << audit[0].dump();
    EXPECT_EQ(audit[0].value("reason", ""), "back to the default");
}

TEST_F(AdminEndpoints, DeleteTenantTakesTheReasonFromTheQuery) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "shadow")));
    const auto response = as_operator("DELETE", "/v1/tenants/acme?reason=shadow+done%21");
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(stage_on_disk("acme"), "");
    const auto audit = audit_lines();
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].value("reason", ""), "shadow done!");
}

TEST_F(AdminEndpoints, BatchMovesEveryTenantAndAuditsEachOnce) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("c", "reads")));
    const json batch{{"reason", "wave 2"},
                     {"changes",
                      {{{"tenant", "a"}, {"stage", "new"}},
                       {{"tenant", "b"}, {"stage", "reads"}},
                       {{"tenant", "c"}, {"unpin", true}}}}};
    const auto response =
        as_operator("POST", "/v1/tenants:batch", batch, {{"X-Request-Id", "batch-2"}});
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(json_of(response)["tenants"].size(), 3u) << response.body;

    EXPECT_EQ(side_of_tenant("a", "POST"), "new");
    EXPECT_EQ(side_of_tenant("b"), "new");
    EXPECT_EQ(side_of_tenant("b", "POST"), "legacy");
    EXPECT_EQ(side_of_tenant("c"), "legacy");
    EXPECT_EQ(stage_on_disk("a"), "new");
    EXPECT_EQ(stage_on_disk("b"), "reads");
    EXPECT_EQ(stage_on_disk("c"), "");

    const auto audit = audit_lines();
    ASSERT_EQ(audit.size(), 3u);
    std::set<std::string> tenants;
    for (const auto& entry : audit) {
        tenants.insert(entry.value("tenant", ""));
        EXPECT_EQ(entry.value("reason", ""), "wave 2");
        EXPECT_EQ(entry.value("request_id", ""), "batch-2");
        EXPECT_EQ(entry.value("token", ""), kOperator);
    }
    EXPECT_EQ(tenants, (std::set<std::string>{"a", "b", "c"}));
}

TEST_F(AdminEndpoints, RolloutPutMovesTheCohortAtOnce) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}));
    const auto before = as_viewer("GET", "/v1/rollout");
    ASSERT_EQ(before.status, 200) << before.describe();
    EXPECT_EQ(before.headers.value_or_empty("ETag"), json_of(before).value("version", "?"));
    EXPECT_EQ(json_of(before).value("percent", -1.0), 0.0);
    ASSERT_EQ(side_of_tenant("cohort-1"), "legacy");

    const auto response = as_operator(
        "PUT", "/v1/rollout", {{"stage", "new"}, {"percent", 100}, {"reason", "everyone to new"}});
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(side_of_tenant("cohort-1", "POST"), "new");
    const auto body = json_of(response);
    EXPECT_EQ(body["rollout"].value("percent", -1.0), 100.0);
    EXPECT_EQ(body["rollout"].value("salt", ""), "wave-1") << "a PUT without salt keeps it";
    EXPECT_EQ(response.headers.value_or_empty("ETag"), body["rollout"].value("version", "?"));
    EXPECT_EQ(flag_file()["rollout"],
              (json{{"stage", "new"}, {"percent", 100}, {"salt", "wave-1"}}))
        << flag_file_text();

    const auto get = as_viewer("GET", "/v1/rollout");
    EXPECT_EQ(json_of(get).value("percent", -1.0), 100.0);
    const auto audit = audit_lines();
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].value("action", ""), "set_rollout");
    EXPECT_EQ(audit[0]["after"].value("percent", -1.0), 100.0);
    EXPECT_EQ(audit[0]["before"].value("percent", -1.0), 0.0);
}

TEST_F(AdminEndpoints, RolloutDecreaseHoldsClosedDoorTenantsAndSaysWhich) {
    FlagDocument flags;
    flags.rollout(100);
    ASSERT_NO_FATAL_FAILURE(launch_admin(flags));
    ASSERT_NO_FATAL_FAILURE(close_door("written", "req-written-1"));

    const auto response = as_operator("PUT", "/v1/rollout",
                                      {{"stage", "new"}, {"percent", 0}, {"reason", "roll back"}});
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(json_of(response)["held"], (json{"written"})) << response.body;
    EXPECT_EQ(side_of_tenant("written"), "new");
    EXPECT_EQ(side_of_tenant("unwritten"), "legacy");
    EXPECT_EQ(flag_file()["rollout"].value("percent", -1), 0);
}

TEST_F(AdminEndpoints, RolloutAnswerNamesTheTenantsItMovedAmongThoseSeen) {
    FlagDocument flags;
    flags.tenant("pinned", "legacy");
    ASSERT_NO_FATAL_FAILURE(launch_admin(flags));
    // Traffic makes tenants known to the proxy; before it, a rollout cannot name them.
    std::vector<std::string> tenants{"pinned"};
    for (int i = 0; i < 40; ++i) tenants.push_back("seen-" + std::to_string(i));
    for (const auto& tenant : tenants) ASSERT_EQ(side_of_tenant(tenant), "legacy") << tenant;

    const auto response = as_operator(
        "PUT", "/v1/rollout", {{"stage", "reads"}, {"percent", 50}, {"reason", "half to reads"}});
    ASSERT_EQ(response.status, 200) << response.describe();
    const auto moved = json_of(response)["moved"];
    std::set<std::string> named;
    for (const auto& entry : moved["tenants"]) {
        EXPECT_EQ(entry.value("from", ""), "legacy") << entry.dump();
        EXPECT_EQ(entry.value("to", ""), "reads") << entry.dump();
        named.insert(entry.value("tenant", ""));
    }
    // Exactly the tenants whose reads now go to new: the pinned one never.
    std::set<std::string> on_reads;
    for (const auto& tenant : tenants) {
        if (side_of_tenant(tenant) == "new") on_reads.insert(tenant);
    }
    EXPECT_EQ(named, on_reads);
    EXPECT_EQ(moved.value("count", 0u), on_reads.size());
    EXPECT_GT(on_reads.size(), 5u) << "50% of 40 tenants: the bucket hash is off";
    EXPECT_LT(on_reads.size(), 35u) << "50% of 40 tenants: the bucket hash is off";
    EXPECT_EQ(named.count("pinned"), 0u);
    EXPECT_EQ(moved.value("known_tenants", 0u), 41u) << moved.dump();
    EXPECT_TRUE(moved.value("known_complete", false));
}

TEST_F(AdminEndpoints, OwnerFollowsTheStage) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}
                                             .tenant("l", "legacy")
                                             .tenant("s", "shadow")
                                             .tenant("r", "reads")
                                             .tenant("n", "new")
                                             .tenant("f", "final")));
    const std::map<std::string, std::string> owners{
        {"l", "legacy"}, {"s", "legacy"}, {"r", "legacy"}, {"n", "new"}, {"f", "new"}};
    for (const auto& [tenant, owner] : owners) {
        const auto response = as_viewer("GET", "/v1/owner/" + tenant);
        ASSERT_EQ(response.status, 200) << response.describe();
        EXPECT_EQ(json_of(response), (json{{"tenant", tenant}, {"owner", owner}})) << tenant;
    }
}

TEST_F(AdminEndpoints, OwnerOfAClosedDoorTenantHeldOnNewIsNew) {
    FlagDocument flags;
    flags.rollout(100);
    ASSERT_NO_FATAL_FAILURE(launch_admin(flags));
    ASSERT_NO_FATAL_FAILURE(close_door("held", "req-held-1"));
    ASSERT_EQ(as_operator("PUT", "/v1/rollout",
                          {{"stage", "new"}, {"percent", 0}, {"reason", "roll back"}})
                  .status,
              200);
    const auto response = as_viewer("GET", "/v1/owner/held");
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(json_of(response).value("owner", ""), "new");
    EXPECT_EQ(json_of(as_viewer("GET", "/v1/owner/other")).value("owner", ""), "legacy");
}

TEST_F(AdminEndpoints, AuditListsNewestFirstWithLimitAndTenantFilter) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}));
    for (const auto& [tenant, stage] : std::vector<std::pair<std::string, std::string>>{
             {"a", "shadow"}, {"b", "shadow"}, {"a", "reads"}, {"b", "reads"}, {"a", "new"}}) {
        ASSERT_EQ(put_stage(tenant, stage).status, 200);
    }
    const auto all = as_viewer("GET", "/v1/audit");
    ASSERT_EQ(all.status, 200) << all.describe();
    const auto entries = json_of(all)["entries"];
    ASSERT_EQ(entries.size(), 5u) << all.body;
    EXPECT_EQ(entries[0]["after"], (json{{"stage", "new"}}));
    EXPECT_EQ(entries[4]["after"], (json{{"stage", "shadow"}}));
    for (std::size_t i = 1; i < entries.size(); ++i) {
        EXPECT_GE(entries[i - 1].value("unix_ms", std::int64_t{0}),
                  entries[i].value("unix_ms", std::int64_t{0}));
    }

    const auto limited = json_of(as_viewer("GET", "/v1/audit?limit=2"))["entries"];
    ASSERT_EQ(limited.size(), 2u);
    EXPECT_EQ(limited[0], entries[0]);
    EXPECT_EQ(limited[1], entries[1]);

    const auto only_b = json_of(as_viewer("GET", "/v1/audit?tenant=b"))["entries"];
    ASSERT_EQ(only_b.size(), 2u);
    EXPECT_EQ(only_b[0]["after"], (json{{"stage", "reads"}}));
    EXPECT_EQ(only_b[1]["after"], (json{{"stage", "shadow"}}));
    for (const auto& entry : only_b) EXPECT_EQ(entry.value("tenant", ""), "b");
}

}  // namespace
}  // namespace switchyard::test
