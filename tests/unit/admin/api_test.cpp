// handle_admin_request() with plain values: a request struct in, a response struct out, no
// socket. The services behind it are the real ones (flag editor, door journal, audit log) on
// files in a temp dir, and a token check that knows two bearer tokens.
#include "admin/api.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <mutex>
#include <sstream>

#include "admin/file_flag_store.hpp"
#include "flags/door_journal.hpp"
#include "flags/flag_document.hpp"

namespace switchyard::admin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kOperator = "Bearer op-token";
constexpr std::string_view kViewer = "Bearer viewer-token";

constexpr const char* kFlags = R"({
  "default_stage": "legacy",
  "rollout": {"stage": "new", "percent": 0, "salt": "wave-1"},
  "tenants": {"acme": {"stage": "new"}, "globex": {"stage": "reads"},
              "done": {"stage": "final"}, "org:initech": {"stage": "shadow"}}
})";

class AdminApi : public testing::Test {
  protected:
    void SetUp() override {
        // A parameterized test's name holds a '/': one directory, so that TearDown removes it.
        std::string test = testing::UnitTest::GetInstance()->current_test_info()->name();
        std::replace(test.begin(), test.end(), '/', '-');
        dir_ = fs::temp_directory_path() / ("admin-api-" + std::to_string(::getpid()) + "-" + test);
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        flag_file_ = dir_ / "flags.json";
        std::ofstream(flag_file_) << kFlags;
        auto flags = flags::parse_flag_document(kFlags);
        ASSERT_TRUE(flags) << flags.error().message;
        snapshots_.update_flags(flags.value());
        auto journal = flags::DoorJournal::open(
            dir_ / "doors.jsonl", "unit", [this](std::shared_ptr<const flags::DoorSet> doors) {
                snapshots_.update_doors(doors);
            });
        ASSERT_TRUE(journal) << journal.error().message;
        journal_ = std::move(journal.value());
        snapshots_.update_doors(journal_->doors());
        audit_ = std::make_unique<AuditLog>(dir_ / "audit.jsonl");
        store_ = std::make_unique<FileFlagStore>(flag_file_, *journal_, *audit_);
        editor_ = std::make_unique<FlagEditor>(*store_, snapshots_, write_mutex_);
        services_.authenticate = [](std::string_view authorization) -> std::optional<Principal> {
            if (authorization == kOperator) return Principal{"olga", Role::operator_};
            if (authorization == kViewer) return Principal{"vic", Role::viewer};
            return std::nullopt;
        };
        services_.editor = editor_.get();
        services_.snapshots = &snapshots_;
    }
    void TearDown() override {
        editor_.reset();
        store_.reset();
        journal_.reset();
        fs::remove_all(dir_);
    }

    ApiResponse ask(std::string_view method, std::string_view target,
                    std::string_view authorization = kOperator, std::string_view body = {},
                    std::string_view if_match = {}) const {
        return handle_admin_request(services_,
                                    {method, target, authorization, if_match, body, "req-unit"});
    }
    static json body_of(const ApiResponse& response) {
        return json::parse(response.body, nullptr, false);
    }
    static std::string error_of(const ApiResponse& response) {
        return body_of(response).value("error", "");
    }
    std::string flag_text() const {
        std::ifstream in(flag_file_);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }
    std::size_t audit_count() const {
        std::ifstream in(dir_ / "audit.jsonl");
        std::size_t lines = 0;
        for (std::string line; std::getline(in, line);) lines += !line.empty();
        return lines;
    }
    // The first write of `tenant` reached new: its door is closed, durably.
    void close_door(const std::string& tenant) {
        std::promise<bool> durable;
        journal_->close_before_forwarding(
            {tenant, flags::unix_now_ms(), "req-door-" + tenant, "unit", "POST", "/orders"},
            [&](const Error* error) { durable.set_value(error == nullptr); });
        auto done = durable.get_future();
        ASSERT_EQ(done.wait_for(std::chrono::seconds(5)), std::future_status::ready);
        ASSERT_TRUE(done.get());
    }

    fs::path dir_;
    fs::path flag_file_;
    routing::SnapshotStore snapshots_;
    std::unique_ptr<flags::DoorJournal> journal_;
    std::unique_ptr<AuditLog> audit_;
    std::unique_ptr<FileFlagStore> store_;
    std::mutex write_mutex_;
    std::unique_ptr<FlagEditor> editor_;
    AdminServices services_;
};

TEST_F(AdminApi, HealthAndReadinessNeedNoToken) {
    EXPECT_EQ(ask("GET", "/healthz", "").status, 200u);
    EXPECT_EQ(ask("GET", "/readyz", "").status, 200u);
    services_.readiness = [] { return json{{"ready", false}}; };
    EXPECT_EQ(ask("GET", "/readyz", "").status, 503u);
}

TEST_F(AdminApi, EveryV1EndpointWantsAToken) {
    for (const auto& [method, target] :
         std::vector<std::pair<std::string, std::string>>{{"GET", "/v1/tenants"},
                                                          {"GET", "/v1/tenants/acme"},
                                                          {"PUT", "/v1/tenants/acme"},
                                                          {"DELETE", "/v1/tenants/acme"},
                                                          {"POST", "/v1/tenants:batch"},
                                                          {"GET", "/v1/rollout"},
                                                          {"PUT", "/v1/rollout"},
                                                          {"GET", "/v1/owner/acme"},
                                                          {"GET", "/v1/audit"}}) {
        for (std::string_view authorization : {"", "Bearer nope", "op-token", "Basic b3A="}) {
            const auto response = ask(method, target, authorization);
            EXPECT_EQ(response.status, 401u) << method << " " << target << " " << authorization;
            EXPECT_EQ(error_of(response), "unauthorized");
            EXPECT_EQ(response.body.find("nope"), std::string::npos) << "the token was echoed";
        }
    }
}

TEST_F(AdminApi, ViewerReadsButCannotChange) {
    EXPECT_EQ(ask("GET", "/v1/tenants/acme", kViewer).status, 200u);
    const auto refused =
        ask("PUT", "/v1/tenants/globex", kViewer, R"({"stage": "new", "reason": "r"})");
    EXPECT_EQ(refused.status, 403u);
    EXPECT_EQ(error_of(refused), "forbidden");
    EXPECT_EQ(flag_text(), kFlags);
    EXPECT_EQ(audit_count(), 0u);
}

TEST_F(AdminApi, TenantViewSaysStageWhyOwnerDoorAndVersion) {
    const auto response = ask("GET", "/v1/tenants/globex", kViewer);
    ASSERT_EQ(response.status, 200u);
    const auto view = body_of(response);
    EXPECT_EQ(view.value("stage", ""), "reads");
    EXPECT_EQ(view.value("why", ""), "pinned") << view.dump();
    EXPECT_EQ(view.value("owner", ""), "legacy");
    EXPECT_EQ(view["door"].value("closed", true), false);
    EXPECT_EQ(view.value("version", ""), response.etag);
    EXPECT_FALSE(response.etag.empty());
    const auto other = body_of(ask("GET", "/v1/tenants/nobody", kViewer));
    EXPECT_EQ(other.value("why", ""), "default");
    EXPECT_TRUE(other["entry"].is_null());
}

TEST_F(AdminApi, PercentEncodedTenantIdsAreDecoded) {
    EXPECT_EQ(body_of(ask("GET", "/v1/tenants/ac%6De", kViewer)).value("stage", ""), "new");
    EXPECT_EQ(body_of(ask("GET", "/v1/tenants/org:initech", kViewer)).value("stage", ""), "shadow");
    EXPECT_EQ(body_of(ask("GET", "/v1/owner/org%3Ainitech", kViewer)).value("owner", ""), "legacy");
    EXPECT_EQ(ask("GET", "/v1/tenants/a%2Fb", kViewer).status, 400u) << "'/' is no tenant char";
}

TEST_F(AdminApi, ListRefusesABadLimit) {
    for (std::string_view limit : {"0", "abc", "-1", "100001", "", "2x"}) {
        const auto response = ask("GET", "/v1/tenants?limit=" + std::string(limit), kViewer);
        EXPECT_EQ(response.status, 400u) << limit;
        EXPECT_EQ(error_of(response), "invalid_limit");
    }
    EXPECT_EQ(ask("GET", "/v1/audit?limit=0", kViewer).status, 400u);
}

TEST_F(AdminApi, ListPagesInTenantOrderAndCountsClosedDoors) {
    ASSERT_NO_FATAL_FAILURE(close_door("zeta"));  // no entry, but an operator must see it
    const auto first = body_of(ask("GET", "/v1/tenants?limit=3", kViewer));
    EXPECT_EQ(first.value("total", 0), 5);
    ASSERT_EQ(first["tenants"].size(), 3u);
    EXPECT_EQ(first["tenants"][0].value("tenant", ""), "acme");
    EXPECT_EQ(first["next"], "globex");
    const auto second = body_of(ask("GET", "/v1/tenants?limit=3&after=globex", kViewer));
    ASSERT_EQ(second["tenants"].size(), 2u);
    EXPECT_EQ(second["tenants"][0].value("tenant", ""), "org:initech");
    EXPECT_EQ(second["tenants"][1].value("tenant", ""), "zeta");
    EXPECT_EQ(second["tenants"][1].value("stage", ""), "new") << "held by its door";
    EXPECT_TRUE(second["next"].is_null());
}

TEST_F(AdminApi, PutWithAMatchingIfMatchSucceedsAndAStaleOneIs412) {
    const auto etag = ask("GET", "/v1/tenants/globex", kViewer).etag;
    const auto put =
        ask("PUT", "/v1/tenants/globex", kOperator, R"({"stage": "new", "reason": "r"})", etag);
    ASSERT_EQ(put.status, 200u) << put.body;
    EXPECT_NE(put.etag, etag);
    EXPECT_EQ(put.etag, ask("GET", "/v1/tenants/globex", kViewer).etag);
    const auto stale =
        ask("PUT", "/v1/tenants/globex", kOperator, R"({"stage": "shadow", "reason": "r"})", etag);
    EXPECT_EQ(stale.status, 412u);
    EXPECT_EQ(audit_count(), 1u);
}

TEST_F(AdminApi, AVersionNeverComesBackWhenTheContentDoes) {
    // globex: reads → new → reads. The first version must not match again (no ABA).
    const auto first = ask("GET", "/v1/tenants/globex", kViewer).etag;
    ASSERT_EQ(
        ask("PUT", "/v1/tenants/globex", kOperator, R"({"stage": "new", "reason": "r"})").status,
        200u);
    ASSERT_EQ(
        ask("PUT", "/v1/tenants/globex", kOperator, R"({"stage": "reads", "reason": "r"})").status,
        200u);
    const auto now = ask("GET", "/v1/tenants/globex", kViewer).etag;
    EXPECT_NE(now, first);
    const auto stale =
        ask("PUT", "/v1/tenants/globex", kOperator, R"({"stage": "shadow", "reason": "r"})", first);
    EXPECT_EQ(stale.status, 412u) << stale.body;
    // A restart counts the same changes from the audit log: the version stays what it was.
    FileFlagStore restarted(flag_file_, *journal_, *audit_);
    const flags::EditableEntry reads{Stage::reads, ""};
    EXPECT_EQ(restarted.tenant_version("globex", &reads), now);
}

TEST_F(AdminApi, IfMatchTakesAStarAndLists) {
    const auto etag = ask("GET", "/v1/tenants/globex", kViewer).etag;
    EXPECT_EQ(ask("PUT", "/v1/tenants/globex", kOperator, R"({"stage": "new", "reason": "r"})", "*")
                  .status,
              200u);
    const auto current = ask("GET", "/v1/tenants/globex", kViewer).etag;
    EXPECT_EQ(ask("PUT", "/v1/tenants/globex", kOperator, R"({"stage": "new", "reason": "r"})",
                  etag + ", " + current)
                  .status,
              200u);
    const auto now = ask("GET", "/v1/tenants/globex", kViewer).etag;
    // If-Match compares strongly: a weak tag never matches.
    EXPECT_EQ(ask("PUT", "/v1/tenants/globex", kOperator, R"({"stage": "new", "reason": "r"})",
                  "W/" + now)
                  .status,
              412u);
    EXPECT_EQ(ask("PUT", "/v1/rollout", kOperator,
                  R"({"stage": "new", "percent": 1, "reason": "r"})", "\"nope\"")
                  .status,
              412u);
    EXPECT_EQ(ask("PUT", "/v1/rollout", kOperator,
                  R"({"stage": "new", "percent": 1, "reason": "r"})", "*")
                  .status,
              200u);
}

TEST_F(AdminApi, BatchItemsCarryTheirOwnVersions) {
    const auto acme = body_of(ask("GET", "/v1/tenants/acme", kViewer)).value("version", "");
    const auto globex = body_of(ask("GET", "/v1/tenants/globex", kViewer)).value("version", "");
    ASSERT_EQ(
        ask("PUT", "/v1/tenants/globex", kOperator, R"({"stage": "new", "reason": "r"})").status,
        200u);
    const auto text_before = flag_text();
    const auto stale = ask("POST", "/v1/tenants:batch", kOperator,
                           json{{"reason", "r"},
                                {"changes",
                                 {{{"tenant", "acme"}, {"stage", "final"}, {"version", acme}},
                                  {{"tenant", "globex"}, {"stage", "final"}, {"version", globex}}}}}
                               .dump());
    EXPECT_EQ(stale.status, 412u) << stale.body;
    EXPECT_NE(body_of(stale).value("message", "").find("globex"), std::string::npos) << stale.body;
    EXPECT_EQ(flag_text(), text_before);
    // Unquoted, as a script may copy it, and current: accepted.
    auto unquoted = acme.substr(1, acme.size() - 2);
    const auto fresh =
        ask("POST", "/v1/tenants:batch", kOperator,
            json{{"reason", "r"},
                 {"changes", {{{"tenant", "acme"}, {"stage", "final"}, {"version", unquoted}}}}}
                .dump());
    EXPECT_EQ(fresh.status, 200u) << fresh.body;
    // One If-Match for many tenants means nothing: refused rather than ignored.
    const auto header =
        ask("POST", "/v1/tenants:batch", kOperator,
            R"({"reason": "r", "changes": [{"tenant": "a", "stage": "new"}]})", "*");
    EXPECT_EQ(header.status, 400u);
    EXPECT_EQ(error_of(header), "if_match_on_batch");
}

TEST_F(AdminApi, BatchUnpinOfATenantWithoutAnEntryChangesNothing) {
    const auto refused = ask("POST", "/v1/tenants:batch", kOperator,
                             R"({"reason": "r", "changes": [{"tenant": "acme", "stage": "final"},
                                                            {"tenant": "nobody", "unpin": true}]})");
    EXPECT_EQ(refused.status, 404u) << refused.body;
    EXPECT_EQ(error_of(refused), "not_pinned");
    EXPECT_NE(body_of(refused).value("message", "").find("changes[1]"), std::string::npos);
    EXPECT_EQ(flag_text(), kFlags);
    EXPECT_EQ(audit_count(), 0u);
}

TEST_F(AdminApi, ClosedDoorRefusalNamesTheRequestAndHowToForce) {
    ASSERT_NO_FATAL_FAILURE(close_door("acme"));
    const auto refused =
        ask("PUT", "/v1/tenants/acme", kOperator, R"({"stage": "reads", "reason": "r"})");
    EXPECT_EQ(refused.status, 409u);
    EXPECT_EQ(error_of(refused), "door_closed");
    const auto message = body_of(refused).value("message", "");
    EXPECT_NE(message.find("req-door-acme"), std::string::npos) << message;
    EXPECT_NE(message.find("\"force\": true"), std::string::npos) << message;
    EXPECT_EQ(flag_text(), kFlags);
    // The same facts as data, for scripts and the CLI.
    const auto doors = body_of(refused)["doors"];
    ASSERT_EQ(doors.size(), 1u) << refused.body;
    EXPECT_EQ(doors[0].value("tenant", ""), "acme");
    EXPECT_EQ(doors[0].value("request_id", ""), "req-door-acme");
    EXPECT_EQ(doors[0].value("method", ""), "POST");
    EXPECT_TRUE(body_of(refused).value("can_force", false));
}

TEST_F(AdminApi, DeleteMayBeForcedFromTheQuery) {
    ASSERT_NO_FATAL_FAILURE(close_door("acme"));
    const auto forced = ask("DELETE", "/v1/tenants/acme?reason=restore+legacy&force=true");
    ASSERT_EQ(forced.status, 200u) << forced.body;
    EXPECT_EQ(body_of(forced)["forced"], json::array({"acme"}));
    EXPECT_EQ(body_of(ask("GET", "/v1/owner/acme", kViewer)).value("owner", ""), "legacy");
}

TEST_F(AdminApi, RolloutTakesHundredthsOfAPercent) {
    const auto put = ask("PUT", "/v1/rollout", kOperator,
                         R"({"stage": "reads", "percent": 12.5, "reason": "r"})");
    ASSERT_EQ(put.status, 200u) << put.body;
    const auto rollout = body_of(ask("GET", "/v1/rollout", kViewer));
    EXPECT_EQ(rollout.value("percent", 0.0), 12.5);
    EXPECT_EQ(rollout.value("stage", ""), "reads");
    EXPECT_NE(flag_text().find("\"percent\": 12.5"), std::string::npos) << flag_text();
}

// Bad input: status and code, and the flag file and audit log untouched.
struct BadCall {
    std::string name;
    std::string method;
    std::string target;
    std::string body;
    unsigned status;
    std::string code;
    std::string message_part;  // what the message must name, when anything
};

class AdminApiBadCalls : public AdminApi, public testing::WithParamInterface<BadCall> {};

TEST_P(AdminApiBadCalls, AreRefusedAndChangeNothing) {
    const auto& bad = GetParam();
    const auto response = ask(bad.method, bad.target, kOperator, bad.body);
    EXPECT_EQ(response.status, bad.status) << response.body;
    const auto body = body_of(response);
    EXPECT_EQ(body.value("error", ""), bad.code) << response.body;
    EXPECT_NE(body.value("message", "").find(bad.message_part), std::string::npos) << response.body;
    EXPECT_EQ(flag_text(), kFlags);
    EXPECT_EQ(audit_count(), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    AdminApi, AdminApiBadCalls,
    testing::Values(
        BadCall{"TruncatedJson", "PUT", "/v1/tenants/globex", R"({"stage": )", 400, "invalid_json",
                ""},
        BadCall{"NumberBody", "PUT", "/v1/tenants/globex", "42", 400, "invalid_json", ""},
        BadCall{"UnknownField", "PUT", "/v1/tenants/globex",
                R"({"stage": "new", "reason": "r", "priority": 1})", 400, "unknown_field",
                "priority"},
        BadCall{"NoReason", "PUT", "/v1/tenants/globex", R"({"stage": "new"})", 400,
                "reason_required", "reason"},
        BadCall{"ReasonNotAString", "PUT", "/v1/tenants/globex", R"({"stage": "new", "reason": 7})",
                400, "invalid_field", "reason"},
        BadCall{"UnknownStage", "PUT", "/v1/tenants/globex", R"({"stage": "nwe", "reason": "r"})",
                400, "invalid_stage", "nwe"},
        BadCall{"StageNotAString", "PUT", "/v1/tenants/globex", R"({"stage": 3, "reason": "r"})",
                400, "invalid_field", "stage"},
        BadCall{"InvalidTenant", "PUT", "/v1/tenants/a%20b", R"({"stage": "new", "reason": "r"})",
                400, "invalid_tenant", "a b"},
        BadCall{"EmptyTenant", "GET", "/v1/tenants/", "", 400, "invalid_tenant", ""},
        BadCall{"PercentTooHigh", "PUT", "/v1/rollout",
                R"({"stage": "new", "percent": 100.01, "reason": "r"})", 400, "invalid_percent",
                ""},
        BadCall{"PercentMissing", "PUT", "/v1/rollout", R"({"stage": "new", "reason": "r"})", 400,
                "percent_required", ""},
        BadCall{"PercentTooFine", "PUT", "/v1/rollout",
                R"({"stage": "new", "percent": 1.234, "reason": "r"})", 400, "invalid_percent", ""},
        BadCall{"RolloutUnknownField", "PUT", "/v1/rollout",
                R"({"stage": "new", "percent": 1, "reason": "r", "pct": 1})", 400, "unknown_field",
                "pct"},
        BadCall{"BatchItemUnknownField", "POST", "/v1/tenants:batch",
                R"({"reason": "r", "changes": [{"tenant": "a", "stage": "new"},
                                               {"tenant": "b", "stgae": "new"}]})",
                400, "unknown_field", "changes[1]"},
        BadCall{"BatchItemWithoutStage", "POST", "/v1/tenants:batch",
                R"({"reason": "r", "changes": [{"tenant": "a"}]})", 400, "stage_required",
                "changes[0]"},
        BadCall{"BatchItemUnknownStage", "POST", "/v1/tenants:batch",
                R"({"reason": "r", "changes": [{"tenant": "a", "stage": "nwe"}]})", 400,
                "invalid_stage", "changes[0]"},
        BadCall{"BatchItemVersionNotAString", "POST", "/v1/tenants:batch",
                R"({"reason": "r", "changes": [{"tenant": "a", "stage": "new", "version": 3}]})",
                400, "invalid_field", "changes[0]"},
        BadCall{"RolloutWithForce", "PUT", "/v1/rollout",
                R"({"stage": "new", "percent": 1, "reason": "r", "force": true})", 400,
                "force_not_applicable", "PUT /v1/tenants"},
        BadCall{"BatchItemStageAndUnpin", "POST", "/v1/tenants:batch",
                R"({"reason": "r", "changes": [{"tenant": "a", "stage": "new", "unpin": true}]})",
                400, "invalid_field", "changes[0]"},
        BadCall{"BatchItemNotAnObject", "POST", "/v1/tenants:batch",
                R"({"reason": "r", "changes": ["acme"]})", 400, "invalid_json", "changes[0]"},
        BadCall{"BatchChangesNotAnArray", "POST", "/v1/tenants:batch",
                R"({"reason": "r", "changes": {"tenant": "a"}})", 400, "changes_required", ""},
        BadCall{"BatchWithoutReason", "POST", "/v1/tenants:batch",
                R"({"changes": [{"tenant": "a", "stage": "new"}]})", 400, "reason_required", ""},
        BadCall{"BatchMovingAFinalTenant", "POST", "/v1/tenants:batch",
                R"({"reason": "r", "force": true,
                    "changes": [{"tenant": "a", "stage": "new"}, {"tenant": "done", "unpin": true}]})",
                409, "final_tenant", "done"},
        BadCall{"DeleteWithoutEntry", "DELETE", "/v1/tenants/nobody?reason=r", "", 404,
                "not_pinned", "nobody"},
        BadCall{"UnknownV1Path", "GET", "/v1/tenant/acme", "", 404, "not_found", "/v1/tenant"},
        BadCall{"PatchATenant", "PATCH", "/v1/tenants/acme", R"({"stage": "new", "reason": "r"})",
                405, "method_not_allowed", "PATCH"}),
    [](const testing::TestParamInfo<BadCall>& info) { return info.param.name; });

TEST_F(AdminApi, AuditReadsBackNewestFirstAcrossManyBlocks) {
    // Far more than one 64 KiB block of the log, so lines straddle block edges.
    std::vector<AuditEntry> entries;
    for (int i = 0; i < 3000; ++i) {
        entries.push_back({1'700'000'000'000 + i, "olga", "set_tenant", "t" + std::to_string(i % 7),
                           json{{"stage", "legacy"}}, json{{"stage", "new"}},
                           "reason " + std::to_string(i), false, "req-" + std::to_string(i)});
    }
    ASSERT_TRUE(audit_->append(entries));
    const auto all = body_of(ask("GET", "/v1/audit?limit=10000", kViewer))["entries"];
    ASSERT_EQ(all.size(), 3000u);
    for (std::size_t i = 0; i < all.size(); ++i) {
        ASSERT_EQ(all[i].value("request_id", ""), "req-" + std::to_string(2999 - i)) << i;
    }
    const auto t3 = body_of(ask("GET", "/v1/audit?tenant=t3&limit=5", kViewer))["entries"];
    ASSERT_EQ(t3.size(), 5u);
    for (const auto& entry : t3) EXPECT_EQ(entry.value("tenant", ""), "t3");
    EXPECT_EQ(t3[0].value("request_id", ""), "req-2999");  // 2999 % 7 == 3
}

}  // namespace
}  // namespace switchyard::admin
