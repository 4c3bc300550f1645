// `switchyard ctl` against the real binary: each command's output (golden files) and exit code.
#include <fstream>

#include "ctl_fixture.hpp"

namespace switchyard::test {
namespace {

// acme on new (its door closes in the tests that need it), globex reading from new, initech
// still on legacy; an empty cohort.
FlagDocument three_tenants() {
    FlagDocument flags;
    flags.tenant("acme", "new").tenant("globex", "reads").tenant("initech", "legacy");
    return flags;
}

std::string write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    return path.string();
}

// ---- reading -------------------------------------------------------------------------------

TEST_F(CtlTest, TenantsListShowsStageWhyOwnerAndDoor) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    ASSERT_NO_FATAL_FAILURE(close_door("acme"));
    expect_ctl_golden("tenants_list", {"tenants", "list"}, 0);
}

TEST_F(CtlTest, TenantsListPagesWithLimitAndAfter) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    expect_ctl_golden("tenants_list_page", {"tenants", "list", "--limit", "1", "--after", "acme"},
                      0);
}

TEST_F(CtlTest, JsonPrintsTheApisDocumentForScripts) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    const auto result = as_viewer({"tenants", "list", "--json"});
    const auto body = nlohmann::json::parse(result.out, nullptr, false);
    ASSERT_TRUE(body.is_object()) << result.out;
    EXPECT_EQ(body["total"], 3);
    expect_golden_run("tenants_list_json", {"tenants", "list", "--json"}, result, 0);
}

TEST_F(CtlTest, TenantsGetTellsWhenAndHowTheDoorClosed) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    ASSERT_NO_FATAL_FAILURE(close_door("acme"));
    expect_ctl_golden("tenants_get", {"tenants", "get", "acme"}, 0);
}

TEST_F(CtlTest, TenantsGetOfATenantWithoutEntryShowsWhereItFalls) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    expect_ctl_golden("tenants_get_default", {"tenants", "get", "hooli"}, 0);
}

TEST_F(CtlTest, RolloutGetShowsTheCohort) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants().rollout(5)));
    expect_ctl_golden("rollout_get", {"rollout", "get"}, 0);
}

TEST_F(CtlTest, OwnerNamesTheSideThatOwnsTheWrites) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    expect_ctl_golden("owner", {"owner", "acme"}, 0);
    expect_ctl_golden("owner_quiet", {"owner", "initech", "--quiet"}, 0);
    expect_ctl_golden("owner_json", {"owner", "globex", "--json"}, 0);
}

// The README's two-line cron check, word for word, with switchyard on PATH.
TEST_F(CtlTest, CronCheckRunsTheJobOnlyOnTheOwningSide) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    const auto bin_dir = std::filesystem::path(SWITCHYARD_BINARY).parent_path().string();
    const std::string check =
        "owner=$(switchyard ctl owner \"$TENANT\" --quiet) || exit 3\n"
        "[ \"$owner\" = legacy ] && echo run-job";
    for (const auto& [tenant, ran] : {std::pair{"initech", true}, std::pair{"acme", false}}) {
        ProcessRun run;
        run.argv = {"/bin/sh", "-c", check};
        run.environment = {{"PATH", bin_dir + ":/usr/bin:/bin"},
                           {"TENANT", tenant},
                           {"SWITCHYARD_ADMIN_URL", admin_url()},
                           {"SWITCHYARD_TOKEN", viewer_token_}};
        const auto result = run_process(run);
        EXPECT_EQ(result.out, ran ? "run-job\n" : "") << tenant << "\n" << result.err;
        EXPECT_EQ(result.exit_code, ran ? 0 : 1) << tenant << "\n" << result.err;
    }
}

TEST_F(CtlTest, HelpListsCommandsAndExitCodes) {
    // No server needed: help never connects.
    expect_ctl_golden("help", {"--help"}, 0);
}

// ---- changing ------------------------------------------------------------------------------

TEST_F(CtlTest, TenantsSetPrintsBeforeAndAfter) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    expect_ctl_golden("tenants_set",
                      {"tenants", "set", "globex", "new", "--reason", "wave 2, INC-7"}, 0);
    EXPECT_EQ(tenant_json("globex")["stage"], "new");
}

TEST_F(CtlTest, TenantsSetWithAMatchingVersionSucceeds) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    const auto version = tenant_json("globex")["version"].get<std::string>();
    const auto result =
        as_operator({"tenants", "set", "globex", "new", "--reason", "r", "--if-match", version});
    EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(CtlTest, TenantsUnpinReturnsTheTenantToTheRollout) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    expect_ctl_golden("tenants_unpin",
                      {"tenants", "unpin", "globex", "--reason", "back to the cohort"}, 0);
}

TEST_F(CtlTest, TenantsBatchFromAFileAppliesAllChanges) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    const auto file = write_file(
        scratch() / "changes.json",
        R"([{"tenant": "globex", "stage": "new"}, {"tenant": "initech", "unpin": true}])");
    expect_ctl_golden("tenants_batch", {"tenants", "batch", file, "--reason", "wave 3"}, 0);
}

TEST_F(CtlTest, TenantsBatchReadsStdin) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    const std::vector<std::string> args{"tenants", "batch", "-", "--reason", "wave 3"};
    expect_golden_run(
        "tenants_batch_stdin", args,
        ctl(args, operator_token_, {}, R"([{"tenant": "initech", "stage": "shadow"}])"), 0);
}

TEST_F(CtlTest, RolloutSetPrintsBeforeAndAfter) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants().rollout(5)));
    expect_ctl_golden(
        "rollout_set",
        {"rollout", "set", "--stage", "reads", "--percent", "12.5", "--reason", "wave 2"}, 0);
}

TEST_F(CtlTest, RolloutDecreaseNamesTheClosedDoorTenantsItHeld) {
    FlagDocument flags;
    flags.rollout(100);  // everyone without an entry is on new
    ASSERT_NO_FATAL_FAILURE(start(flags));
    ASSERT_NO_FATAL_FAILURE(close_door("umbrella"));
    expect_ctl_golden(
        "rollout_set_held",
        {"rollout", "set", "--stage", "new", "--percent", "0", "--reason", "pause wave 1"}, 0);
    EXPECT_EQ(tenant_json("umbrella")["stage"], "new");
}

TEST_F(CtlTest, AuditShowsWhoChangedWhatAndWhy) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    ASSERT_EQ(as_operator({"tenants", "set", "globex", "new", "--reason", "wave 2"}).exit_code, 0);
    ASSERT_EQ(
        as_operator({"rollout", "set", "--stage", "new", "--percent", "10", "--reason", "wave 1"})
            .exit_code,
        0);
    ASSERT_EQ(as_operator({"tenants", "unpin", "initech", "--reason", "cohort"}).exit_code, 0);
    expect_ctl_golden("audit", {"audit"}, 0);
    expect_ctl_golden("audit_tenant", {"audit", "--tenant", "globex", "--limit", "1"}, 0);
}

// ---- refusals and their exit codes ---------------------------------------------------------

TEST_F(CtlTest, AChangeWithoutAReasonIsRefusedBeforeReachingTheServer) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    expect_ctl_golden("tenants_set_no_reason", {"tenants", "set", "globex", "new"}, 2);
    const auto audit = nlohmann::json::parse(as_viewer({"audit", "--json"}).out, nullptr, false);
    EXPECT_EQ(audit["entries"], nlohmann::json::array()) << audit.dump();
}

TEST_F(CtlTest, ClosedDoorRefusesRollbackAndExplainsIt) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    ASSERT_NO_FATAL_FAILURE(close_door("acme"));
    expect_ctl_golden("tenants_set_door_closed",
                      {"tenants", "set", "acme", "legacy", "--reason", "rollback INC-9"}, 6);
    EXPECT_EQ(tenant_json("acme")["stage"], "new");
}

TEST_F(CtlTest, ClosedDoorRefusesUnpinToo) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    ASSERT_NO_FATAL_FAILURE(close_door("acme"));
    expect_ctl_golden("tenants_unpin_door_closed",
                      {"tenants", "unpin", "acme", "--reason", "rollback"}, 6);
}

TEST_F(CtlTest, TheForceCommandItPrintsMovesTheTenantBackAndIsAudited) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    ASSERT_NO_FATAL_FAILURE(close_door("acme"));
    expect_ctl_golden("tenants_set_forced",
                      {"tenants", "set", "acme", "legacy", "--reason", "rollback INC-9", "--force"},
                      0);
    EXPECT_EQ(tenant_json("acme")["stage"], "legacy");
    expect_ctl_golden("audit_forced", {"audit", "--tenant", "acme"}, 0);
}

TEST_F(CtlTest, ABatchWithOneClosedDoorRollbackChangesNothing) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    ASSERT_NO_FATAL_FAILURE(close_door("acme"));
    const auto file = write_file(
        scratch() / "changes.json",
        R"([{"tenant": "globex", "stage": "new"}, {"tenant": "acme", "stage": "reads"}])");
    expect_ctl_golden("tenants_batch_door_closed", {"tenants", "batch", file, "--reason", "mixed"},
                      6);
    EXPECT_EQ(tenant_json("globex")["stage"], "reads");
}

TEST_F(CtlTest, AStaleIfMatchIsExitSevenAndSaysToReRead) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    const auto version = tenant_json("globex")["version"].get<std::string>();
    ASSERT_EQ(
        as_operator({"tenants", "set", "globex", "new", "--reason", "someone else"}).exit_code, 0);
    expect_ctl_golden(
        "tenants_set_stale",
        {"tenants", "set", "globex", "shadow", "--reason", "r", "--if-match", version}, 7);
    EXPECT_EQ(tenant_json("globex")["stage"], "new");
}

TEST_F(CtlTest, NothingListeningIsExitThreeAndNamesTheUrl) {
    const std::vector<std::string> args{"tenants", "list"};
    const auto result =
        ctl(args, "some-token",
            {{"SWITCHYARD_ADMIN_URL", "http://127.0.0.1:" + std::to_string(unused_port())}});
    expect_golden_run("unreachable", args, result, 3);
}

TEST_F(CtlTest, AnUnknownTokenIsExitFour) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    const std::vector<std::string> args{"tenants", "list"};
    expect_golden_run("token_unknown", args, ctl(args, "not-a-real-token"), 4);
}

TEST_F(CtlTest, NoTokenIsExitFour) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    const std::vector<std::string> args{"owner", "acme"};
    expect_golden_run("token_missing", args, ctl(args, ""), 4);
}

TEST_F(CtlTest, AViewerChangingATenantIsExitFour) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    const std::vector<std::string> args{"tenants", "set", "globex", "new", "--reason", "r"};
    expect_golden_run("viewer_set", args, as_viewer(args), 4);
    EXPECT_EQ(tenant_json("globex")["stage"], "reads");
}

TEST_F(CtlTest, UnpinningATenantWithoutAnEntryIsExitFive) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    expect_ctl_golden("tenants_unpin_not_pinned", {"tenants", "unpin", "hooli", "--reason", "r"},
                      5);
}

TEST_F(CtlTest, AnInvalidTenantIdIsExitEight) {
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    expect_ctl_golden("tenants_get_invalid", {"tenants", "get", "bad tenant!"}, 8);
}

// ---- stats ---------------------------------------------------------------------------------

void send(std::uint16_t port, const std::string& tenant, int count) {
    for (int i = 0; i < count; ++i) {
        const auto response = http_request(port, "GET", "/items", {{"X-Tenant-Id", tenant}});
        ASSERT_TRUE(response.ok()) << response.describe();
    }
}

TEST_F(CtlTest, StatsSaysWhenNewIsSlower) {
    new_.set_reply(OriginReply::delayed(std::chrono::milliseconds(100)));
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    ASSERT_NO_FATAL_FAILURE(send(port(), "initech", 10));
    ASSERT_NO_FATAL_FAILURE(send(port(), "acme", 10));
    const auto result = as_viewer({"stats"});
    EXPECT_NE(result.out.find("new is healthy and slower"), std::string::npos) << result.out;
    expect_golden_run("stats_slower", {"stats"}, result, 0, {.latencies = true});
}

TEST_F(CtlTest, StatsSaysWhenNewIsFailing) {
    // Slow as well as failing: the verdict names both, and the golden file stays the same.
    auto failing = OriginReply::with_status(503, "down");
    failing.delay = std::chrono::milliseconds(100);
    new_.set_reply(failing);
    ASSERT_NO_FATAL_FAILURE(start(three_tenants()));
    ASSERT_NO_FATAL_FAILURE(send(port(), "initech", 5));
    ASSERT_NO_FATAL_FAILURE(send(port(), "acme", 5));
    const auto result = as_viewer({"stats"});
    EXPECT_NE(result.out.find("verdict (last minute): new is failing and slower"),
              std::string::npos)
        << result.out;
    expect_golden_run("stats_failing", {"stats"}, result, 0, {.latencies = true});
}

}  // namespace
}  // namespace switchyard::test
