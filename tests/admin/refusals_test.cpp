// What the admin API refuses, through the real binary (issue 5): each refusal answers a clear
// 4xx with {"error", "message"} and changes nothing: not the flag file, not the audit log, not
// the side a tenant's requests reach.
#include "admin_fixture.hpp"
#include "raw_connection.hpp"

namespace switchyard::test {
namespace {

using nlohmann::json;

class AdminRefusals : public AdminTest {
  protected:
    // Asserts the refusal's shape and that nothing changed since `flags_before`.
    void expect_refused(const ClientResponse& response, int status, const std::string& code,
                        const std::string& flags_before) {
        EXPECT_EQ(response.status, status) << response.describe();
        EXPECT_EQ(error_of(response), code) << response.body;
        EXPECT_TRUE(json_of(response).contains("message")) << response.body;
        EXPECT_EQ(flag_file_text(), flags_before);
        EXPECT_TRUE(audit_lines().empty()) << slurp(state_dir_ / "audit.jsonl");
    }
};

TEST_F(AdminRefusals, ChangeWithoutATokenIs401) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "legacy")));
    const auto flags_before = flag_file_text();
    const auto response =
        call("PUT", "/v1/tenants/acme", "", R"({"stage": "new", "reason": "no token"})");
    expect_refused(response, 401, "unauthorized", flags_before);
    EXPECT_EQ(side_of_tenant("acme"), "legacy");
    EXPECT_EQ(call("GET", "/v1/tenants", "").status, 401);
}

TEST_F(AdminRefusals, WrongTokenIs401AndNoTokenEverAppearsInALogOrAnAnswer) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "legacy")));
    const auto flags_before = flag_file_text();
    const std::string wrong = operator_token() + "x";
    std::vector<ClientResponse> answers;
    answers.push_back(
        call("PUT", "/v1/tenants/acme", wrong, R"({"stage": "new", "reason": "wrong"})"));
    expect_refused(answers.back(), 401, "unauthorized", flags_before);
    answers.push_back(call("GET", "/v1/tenants/acme", wrong));
    EXPECT_EQ(answers.back().status, 401);
    answers.push_back(call("GET", "/v1/tenants", "", {}, {{"Authorization", wrong}}));
    EXPECT_EQ(answers.back().status, 401) << "a token without \"Bearer \" is no token";
    // The right ones, used for real, must not leak either.
    answers.push_back(put_stage("acme", "new"));
    EXPECT_EQ(answers.back().status, 200);
    answers.push_back(as_viewer("PUT", "/v1/tenants/acme"));
    EXPECT_EQ(answers.back().status, 403);
    answers.push_back(as_viewer("GET", "/v1/audit"));
    EXPECT_EQ(answers.back().status, 200);

    for (const auto& token : {wrong, operator_token(), viewer_token()}) {
        for (const auto& answer : answers) {
            EXPECT_EQ(answer.body.find(token), std::string::npos) << answer.describe();
            EXPECT_EQ(answer.headers.describe().find(token), std::string::npos);
        }
        for (const auto& file : written_files()) {
            EXPECT_EQ(slurp(file).find(token), std::string::npos) << file << " holds a token:\n"
                                                                  << slurp(file);
        }
    }
}

TEST_F(AdminRefusals, ViewerChangingIs403) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "legacy")));
    const auto flags_before = flag_file_text();
    const auto response =
        call("PUT", "/v1/tenants/acme", viewer_token(), R"({"stage": "new", "reason": "viewer"})");
    expect_refused(response, 403, "forbidden", flags_before);
    EXPECT_EQ(call("PUT", "/v1/rollout", viewer_token(),
                   R"({"stage": "new", "percent": 5, "reason": "viewer"})")
                  .status,
              403);
    EXPECT_EQ(call("POST", "/v1/tenants:batch", viewer_token(),
                   R"({"reason": "viewer", "changes": [{"tenant": "acme", "stage": "new"}]})")
                  .status,
              403);
    EXPECT_EQ(call("DELETE", "/v1/tenants/acme?reason=viewer", viewer_token()).status, 403);
    EXPECT_EQ(flag_file_text(), flags_before);
    EXPECT_EQ(side_of_tenant("acme"), "legacy");
}

TEST_F(AdminRefusals, ClosedDoorRollbackIs409SayingWhenAndByWhichRequest) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "new")));
    ASSERT_NO_FATAL_FAILURE(close_door("acme", "req-first-write-7"));
    const auto flags_before = flag_file_text();

    const auto response = put_stage("acme", "reads");
    expect_refused(response, 409, "door_closed", flags_before);
    const auto message = json_of(response).value("message", "");
    EXPECT_NE(message.find("req-first-write-7"), std::string::npos) << message;
    // When: the closing's time as the journal recorded it, to the second.
    std::int64_t closed_ms = 0;
    for (const auto& line : door_lines()) {
        if (line.value("event", "") == "door_closed")
            closed_ms = line.value("unix_ms", std::int64_t{0});
    }
    ASSERT_GT(closed_ms, 0);
    const std::time_t seconds = static_cast<std::time_t>(closed_ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    EXPECT_NE(message.find(when), std::string::npos) << "no " << when << " in: " << message;
    EXPECT_NE(message.find("force"), std::string::npos) << "say how to force: " << message;
    EXPECT_EQ(side_of_tenant("acme"), "new");

    const auto unpin = as_operator("DELETE", "/v1/tenants/acme", {{"reason", "unpin"}});
    expect_refused(unpin, 409, "door_closed", flags_before);
}

TEST_F(AdminRefusals, ForcedRollbackWithAReasonIsAuditedAndJournaled) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "new")));
    ASSERT_NO_FATAL_FAILURE(close_door("acme", "req-first-write-8"));

    const auto response = as_operator(
        "PUT", "/v1/tenants/acme",
        {{"stage", "legacy"}, {"reason", "new side corrupted: restore"}, {"force", true}},
        {{"X-Request-Id", "forced-1"}});
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(json_of(response)["forced"], (json{"acme"})) << response.body;
    EXPECT_EQ(side_of_tenant("acme"), "legacy");
    EXPECT_EQ(side_of_tenant("acme", "POST"), "legacy");
    EXPECT_EQ(stage_on_disk("acme"), "legacy");

    const auto audit = audit_lines();
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].value("force", false), true);
    EXPECT_EQ(audit[0].value("reason", ""), "new side corrupted: restore");
    EXPECT_EQ(audit[0].value("request_id", ""), "forced-1");

    std::vector<json> forced;
    for (const auto& line : door_lines()) {
        if (line.value("event", "") == "forced_move") forced.push_back(line);
    }
    ASSERT_EQ(forced.size(), 1u) << slurp(state_dir_ / "doors.jsonl");
    EXPECT_EQ(forced[0].value("tenant", ""), "acme");
    EXPECT_EQ(forced[0].value("from", ""), "new");
    EXPECT_EQ(forced[0].value("to", ""), "legacy");
    EXPECT_EQ(forced[0].value("reason", ""), "new side corrupted: restore");
    EXPECT_EQ(forced[0].value("by", ""), kOperator);
}

TEST_F(AdminRefusals, FinalNeverGoesBackEvenForced) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("done", "final")));
    const auto flags_before = flag_file_text();
    const auto forced = as_operator("PUT", "/v1/tenants/done",
                                    {{"stage", "new"}, {"reason", "please"}, {"force", true}});
    expect_refused(forced, 409, "final_tenant", flags_before);
    const auto unpin =
        as_operator("DELETE", "/v1/tenants/done", {{"reason", "please"}, {"force", true}});
    expect_refused(unpin, 409, "final_tenant", flags_before);
    EXPECT_TRUE(door_lines().empty() || door_lines().back().value("event", "") != "forced_move");
    EXPECT_EQ(side_of_tenant("done", "POST"), "new");
}

TEST_F(AdminRefusals, BatchWithOneClosedDoorRollbackChangesNothing) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}
                                             .tenant("acme", "new")
                                             .tenant("globex", "legacy")
                                             .tenant("initech", "reads")));
    ASSERT_NO_FATAL_FAILURE(close_door("acme", "req-acme-write"));
    const auto flags_before = flag_file_text();
    const json batch{{"reason", "wave 3"},
                     {"changes",
                      {{{"tenant", "globex"}, {"stage", "new"}},
                       {{"tenant", "acme"}, {"stage", "legacy"}},
                       {{"tenant", "initech"}, {"stage", "new"}}}}};
    const auto response = as_operator("POST", "/v1/tenants:batch", batch);
    expect_refused(response, 409, "door_closed", flags_before);
    EXPECT_NE(json_of(response).value("message", "").find("acme"), std::string::npos)
        << response.body;
    EXPECT_EQ(side_of_tenant("globex"), "legacy");
    EXPECT_EQ(side_of_tenant("initech"), "new");
    EXPECT_EQ(side_of_tenant("initech", "POST"), "legacy");
    EXPECT_EQ(side_of_tenant("acme"), "new");
}

TEST_F(AdminRefusals, StaleIfMatchOnATenantIs412) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "legacy")));
    const auto etag = as_viewer("GET", "/v1/tenants/acme").headers.value_or_empty("ETag");
    ASSERT_FALSE(etag.empty());
    const auto first = put_stage("acme", "shadow", {{"If-Match", etag}});
    ASSERT_EQ(first.status, 200) << first.describe();
    EXPECT_NE(first.headers.value_or_empty("ETag"), etag);
    const auto flags_after_first = flag_file_text();

    const auto second = put_stage("acme", "new", {{"If-Match", etag}});
    EXPECT_EQ(second.status, 412) << second.describe();
    EXPECT_EQ(error_of(second), "precondition_failed");
    EXPECT_EQ(flag_file_text(), flags_after_first);
    EXPECT_EQ(audit_lines().size(), 1u);
    EXPECT_EQ(side_of_tenant("acme"), "legacy") << "shadow reads from legacy";
    EXPECT_EQ(stage_on_disk("acme"), "shadow");
}

TEST_F(AdminRefusals, StaleIfMatchOnTheRolloutIs412) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}));
    const auto etag = as_viewer("GET", "/v1/rollout").headers.value_or_empty("ETag");
    ASSERT_FALSE(etag.empty());
    const json change{{"stage", "new"}, {"percent", 10}, {"reason", "wave"}};
    const auto first = as_operator("PUT", "/v1/rollout", change, {{"If-Match", etag}});
    ASSERT_EQ(first.status, 200) << first.describe();
    const auto flags_after_first = flag_file_text();

    auto again = change;
    again["percent"] = 20;
    const auto second = as_operator("PUT", "/v1/rollout", again, {{"If-Match", etag}});
    EXPECT_EQ(second.status, 412) << second.describe();
    EXPECT_EQ(error_of(second), "precondition_failed");
    EXPECT_EQ(flag_file_text(), flags_after_first);
    EXPECT_EQ(flag_file()["rollout"].value("percent", -1), 10);
    EXPECT_EQ(audit_lines().size(), 1u);
}

// One malformed request per case: the status and code it gets, and no change anywhere.
struct BadRequest {
    std::string name;
    std::string method;
    std::string target;
    std::string body;
    int status;
    std::string code;
};

class AdminBadRequests : public AdminRefusals, public ::testing::WithParamInterface<BadRequest> {};

TEST_P(AdminBadRequests, IsRefusedAndChangesNothing) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "legacy")));
    const auto flags_before = flag_file_text();
    const auto& bad = GetParam();
    const auto response = call(bad.method, bad.target, operator_token(), bad.body);
    expect_refused(response, bad.status, bad.code, flags_before);
    EXPECT_EQ(side_of_tenant("acme"), "legacy");
}

INSTANTIATE_TEST_SUITE_P(
    AdminRefusals, AdminBadRequests,
    ::testing::Values(
        BadRequest{"MalformedJson", "PUT", "/v1/tenants/acme", R"({"stage": "new", )", 400,
                   "invalid_json"},
        BadRequest{"BodyNotAnObject", "PUT", "/v1/tenants/acme", R"(["new"])", 400, "invalid_json"},
        BadRequest{"UnknownField", "PUT", "/v1/tenants/acme",
                   R"({"stage": "new", "reason": "r", "stgae": "new"})", 400, "unknown_field"},
        BadRequest{"MissingReason", "PUT", "/v1/tenants/acme", R"({"stage": "new"})", 400,
                   "reason_required"},
        BadRequest{"EmptyReason", "PUT", "/v1/tenants/acme", R"({"stage": "new", "reason": ""})",
                   400, "reason_required"},
        BadRequest{"MissingReasonOnDelete", "DELETE", "/v1/tenants/acme", "", 400,
                   "reason_required"},
        BadRequest{"UnknownStage", "PUT", "/v1/tenants/acme", R"({"stage": "nwe", "reason": "r"})",
                   400, "invalid_stage"},
        BadRequest{"MissingStage", "PUT", "/v1/tenants/acme", R"({"reason": "r"})", 400,
                   "stage_required"},
        BadRequest{"ForceNotABoolean", "PUT", "/v1/tenants/acme",
                   R"({"stage": "new", "reason": "r", "force": "yes"})", 400, "invalid_field"},
        BadRequest{"InvalidTenantId", "PUT", "/v1/tenants/ac%20me",
                   R"({"stage": "new", "reason": "r"})", 400, "invalid_tenant"},
        BadRequest{"TenantIdTooLong", "PUT", "/v1/tenants/" + std::string(129, 'a'),
                   R"({"stage": "new", "reason": "r"})", 400, "invalid_tenant"},
        BadRequest{"PercentAbove100", "PUT", "/v1/rollout",
                   R"({"stage": "new", "percent": 101, "reason": "r"})", 400, "invalid_percent"},
        BadRequest{"PercentNegative", "PUT", "/v1/rollout",
                   R"({"stage": "new", "percent": -1, "reason": "r"})", 400, "invalid_percent"},
        BadRequest{"PercentFinerThanHundredths", "PUT", "/v1/rollout",
                   R"({"stage": "new", "percent": 0.001, "reason": "r"})", 400, "invalid_percent"},
        BadRequest{"PercentAsText", "PUT", "/v1/rollout",
                   R"({"stage": "new", "percent": "5", "reason": "r"})", 400, "invalid_field"},
        BadRequest{"BatchWithoutChanges", "POST", "/v1/tenants:batch",
                   R"({"reason": "r", "changes": []})", 400, "changes_required"},
        BadRequest{"BatchWithAnInvalidTenant", "POST", "/v1/tenants:batch",
                   R"({"reason": "r", "changes": [{"tenant": "a b", "stage": "new"}]})", 400,
                   "invalid_tenant"},
        BadRequest{"BatchNamingATenantTwice", "POST", "/v1/tenants:batch",
                   R"({"reason": "r", "changes": [{"tenant": "a", "stage": "new"},
                                                  {"tenant": "a", "stage": "reads"}]})",
                   400, "duplicate_tenant"},
        BadRequest{"UnknownEndpoint", "GET", "/v1/tenant", "", 404, "not_found"},
        BadRequest{"UnknownEndpointOutsideV1", "GET", "/admin", "", 404, "not_found"},
        BadRequest{"DeleteOfATenantWithoutEntry", "DELETE", "/v1/tenants/nobody?reason=r", "", 404,
                   "not_pinned"},
        BadRequest{"PostToATenant", "POST", "/v1/tenants/acme",
                   R"({"stage": "new", "reason": "r"})", 405, "method_not_allowed"},
        BadRequest{"PutToTheList", "PUT", "/v1/tenants", R"({"reason": "r"})", 405,
                   "method_not_allowed"},
        BadRequest{"GetTheBatch", "GET", "/v1/tenants:batch", "", 405, "method_not_allowed"},
        BadRequest{"DeleteTheRollout", "DELETE", "/v1/rollout?reason=r", "", 405,
                   "method_not_allowed"},
        BadRequest{"PutTheOwner", "PUT", "/v1/owner/acme", R"({"reason": "r"})", 405,
                   "method_not_allowed"},
        BadRequest{"PostTheAudit", "POST", "/v1/audit", R"({"reason": "r"})", 405,
                   "method_not_allowed"}),
    [](const ::testing::TestParamInfo<BadRequest>& info) { return info.param.name; });

TEST_F(AdminRefusals, OversizedBodyIs413) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "legacy")));
    const auto flags_before = flag_file_text();
    const json body{{"stage", "new"}, {"reason", std::string(2 * kMaxBodyBytes, 'r')}};
    const auto response = as_operator("PUT", "/v1/tenants/acme", body);
    expect_refused(response, 413, "payload_too_large", flags_before);
    EXPECT_EQ(side_of_tenant("acme"), "legacy");
    // The listener is still there for the next call.
    EXPECT_EQ(call("GET", "/healthz", "").status, 200);
}

TEST_F(AdminRefusals, BodyFarLargerThanTheSocketBuffersStillGetsIts413) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "legacy")));
    const auto flags_before = flag_file_text();
    const std::string body(4u << 20, 'r');
    RawConnection connection(admin_port());
    ASSERT_TRUE(connection.connected()) << connection.error();
    // The send may fail part way (the listener stops reading at the limit); the answer must
    // still be there to read.
    connection.send("PUT /v1/tenants/acme HTTP/1.1\r\nHost: admin\r\nAuthorization: Bearer " +
                    operator_token() + "\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\n\r\n" + body);
    connection.read_until("}", 5s);
    EXPECT_EQ(status_of(connection.received()), 413) << connection.received();
    EXPECT_NE(connection.received().find("payload_too_large"), std::string::npos);
    EXPECT_EQ(flag_file_text(), flags_before);
    EXPECT_TRUE(audit_lines().empty());
}

TEST_F(AdminRefusals, AClientThatSendsItsWholeBodyBeforeReadingStillGetsThe413) {
    // Many clients write the whole request before they read. Closing at once with their body
    // unread would reset the connection under them; the listener drains it, then closes.
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "legacy")));
    const std::string body(8u << 20, 'r');
    RawConnection connection(admin_port());
    ASSERT_TRUE(connection.connected()) << connection.error();
    EXPECT_TRUE(
        connection.send("PUT /v1/tenants/acme HTTP/1.1\r\nHost: admin\r\nAuthorization: "
                        "Bearer " +
                        operator_token() + "\r\nContent-Length: " + std::to_string(body.size()) +
                        "\r\n\r\n" + body))
        << "the listener reset the connection before the body was sent: " << connection.error();
    EXPECT_TRUE(connection.read_until_close(5s)) << connection.error();
    EXPECT_EQ(status_of(connection.received()), 413) << connection.received();
}

}  // namespace
}  // namespace switchyard::test
