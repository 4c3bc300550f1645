// The one-way door through the real binary: a tenant's first write on new is journaled before
// new sees it, and the closed door then survives kill -9, flag edits and the flag file's
// deletion; only a forced, journaled change moves it back, and nothing moves `final` back.
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include "ladder_fixture.hpp"

namespace switchyard::test {
namespace {

class LadderDoor : public LadderTest {
  protected:
    // Launches with `acme` on `stage` and closes its door with one POST (request id kFirstWrite).
    void launch_and_close_acme(const std::string& stage = "new") {
        ASSERT_NO_FATAL_FAILURE(launch_ladder(LadderFlags{}.tenant("acme", stage)));
        const auto first = send("POST", "acme", kFirstWrite);
        ASSERT_EQ(first.status, 200) << first.describe();
        ASSERT_EQ(side_of(first), "new");
        ASSERT_EQ(journal_events("door_closed", "acme").size(), 1u) << slurp(journal_path());
    }
    // acme's reads and writes both still reach new (and only new), after whatever the test did.
    void expect_acme_still_on_new() {
        const auto legacy_before = legacy_.request_count();
        const auto posts_before = received(new_, "acme", "POST");
        const auto gets_before = received(new_, "acme", "GET");
        EXPECT_EQ(side_of(send("POST", "acme")), "new");
        EXPECT_EQ(side_of(send("GET", "acme")), "new");
        EXPECT_EQ(received(new_, "acme", "POST"), posts_before + 1);
        EXPECT_EQ(received(new_, "acme", "GET"), gets_before + 1);
        EXPECT_EQ(legacy_.request_count(), legacy_before);
    }

    static constexpr const char* kFirstWrite = "req-first-write-acme";
};

TEST_F(LadderDoor, FirstWriteClosesTheDoorBeforeTheNewOriginSeesIt) {
    std::mutex mutex;
    std::vector<std::string> seen;  // per POST reaching new: "closed" or what was missing
    new_.set_arrival_hook([&](const RecordedRequest& request) {
        if (request.method != "POST") return;
        const auto journal = slurp(journal_path());
        std::lock_guard lock(mutex);
        seen.push_back(journal_has_closing(journal, request.headers.value_or_empty("X-Tenant-Id"))
                           ? "closed"
                           : "not journaled yet: [" + journal + "]");
    });
    ASSERT_NO_FATAL_FAILURE(launch_ladder(LadderFlags{}.tenant("acme", "new")));
    ASSERT_TRUE(journal_lines().empty());

    const auto first = send("POST", "acme", kFirstWrite);
    EXPECT_EQ(first.status, 200) << first.describe();
    EXPECT_EQ(side_of(first), "new");
    const auto second = send("POST", "acme");
    EXPECT_EQ(side_of(second), "new");

    {
        std::lock_guard lock(mutex);
        ASSERT_EQ(seen.size(), 2u);
        EXPECT_EQ(seen[0], "closed");
        EXPECT_EQ(seen[1], "closed");
    }
    EXPECT_EQ(received(legacy_, "acme", "POST"), 0u);
    // One closing, with what an operator needs to find the request; later writes add nothing.
    const auto closings = journal_events("door_closed", "acme");
    ASSERT_EQ(closings.size(), 1u) << slurp(journal_path());
    EXPECT_EQ(closings[0].value("request_id", ""), kFirstWrite);
    EXPECT_EQ(closings[0].value("instance", ""), kInstance);
    EXPECT_EQ(closings[0].value("method", ""), "POST");
    EXPECT_EQ(closings[0].value("path", ""), "/orders");
    EXPECT_GT(closings[0].value("unix_ms", std::int64_t{0}), 0);
    EXPECT_EQ(new_.requests().front().headers.value_or_empty("X-Request-Id"), kFirstWrite);
}

TEST_F(LadderDoor, ConcurrentFirstWritesOfOneTenantShareOneClosing) {
    ASSERT_NO_FATAL_FAILURE(launch_ladder(LadderFlags{}.tenant("acme", "new")));
    constexpr int kWriters = 8;
    std::vector<std::future<ClientResponse>> writes;
    for (int i = 0; i < kWriters; ++i) {
        writes.push_back(std::async(std::launch::async, [this] { return send("POST", "acme"); }));
    }
    for (auto& write : writes) {
        const auto response = write.get();
        EXPECT_EQ(response.status, 200) << response.describe();
        EXPECT_EQ(side_of(response), "new");
    }
    EXPECT_EQ(received(new_, "acme", "POST"), static_cast<std::size_t>(kWriters));
    EXPECT_EQ(journal_events("door_closed", "acme").size(), 1u) << slurp(journal_path());
}

TEST_F(LadderDoor, ClosedDoorSurvivesKillNine) {
    ASSERT_NO_FATAL_FAILURE(launch_and_close_acme());
    ASSERT_NO_FATAL_FAILURE(kill_and_restart(LadderFlags{}.tenant("acme", "new")));
    EXPECT_TRUE(log_line_mentions({"doors: 1 closed"})) << proxy_log();

    proxy().write_flags_in_place(LadderFlags{}.tenant("acme", "legacy").json());
    EXPECT_TRUE(log_line_mentions({"change refused", "tenants.acme", kFirstWrite})) << proxy_log();
    expect_acme_still_on_new();
    // The restart loaded the closing: no second one was written.
    EXPECT_EQ(journal_events("door_closed", "acme").size(), 1u) << slurp(journal_path());
}

TEST_F(LadderDoor, ClosedDoorSurvivesDeletingTheFlagFile) {
    ASSERT_NO_FATAL_FAILURE(launch_and_close_acme());

    std::filesystem::remove(proxy().dir() / ProxyProcess::kFlagsFile);
    EXPECT_TRUE(log_line_mentions({ProxyProcess::kFlagsFile, "keeping the last good flags"}))
        << proxy_log();
    expect_acme_still_on_new();

    // The file comes back without acme: it would fall back to the default, legacy.
    proxy().write_flags_in_place(LadderFlags{}.tenant("globex", "new").json());
    EXPECT_TRUE(log_line_mentions({"change refused", "tenants.acme", kFirstWrite})) << proxy_log();
    expect_acme_still_on_new();
    // Refused whole: globex's new entry did not apply either.
    EXPECT_EQ(side_of(send("GET", "globex")), "legacy");
}

TEST_F(LadderDoor, ForcedRollbackIsJournaledAndApplies) {
    ASSERT_NO_FATAL_FAILURE(launch_and_close_acme());

    const std::string reason = "new side restored from backup, INC-4711";
    proxy().write_flags_in_place(
        LadderFlags{}.tenant("acme", "legacy").forcing("acme", reason).json());
    ASSERT_TRUE(reads_reach("acme", "legacy")) << proxy_log();
    EXPECT_TRUE(log_line_mentions({"FORCED", "acme", reason})) << proxy_log();
    const auto write = send("POST", "acme");
    EXPECT_EQ(side_of(write), "legacy");
    EXPECT_EQ(received(legacy_, "acme", "POST"), 1u);
    EXPECT_EQ(received(new_, "acme", "POST"), 1u);  // the first write only

    const auto forced = journal_events("forced_move", "acme");
    ASSERT_EQ(forced.size(), 1u) << slurp(journal_path());
    EXPECT_EQ(forced[0].value("reason", ""), reason);
    EXPECT_EQ(forced[0].value("from", ""), "new");
    EXPECT_EQ(forced[0].value("to", ""), "legacy");
    EXPECT_EQ(forced[0].value("instance", ""), kInstance);

    // The door reopened: back on new, the next first write closes it again.
    proxy().write_flags_in_place(LadderFlags{}.tenant("acme", "new").json());
    ASSERT_TRUE(reads_reach("acme", "new")) << proxy_log();
    EXPECT_EQ(side_of(send("POST", "acme", "req-second-closing")), "new");
    const auto closings = journal_events("door_closed", "acme");
    ASSERT_EQ(closings.size(), 2u) << slurp(journal_path());
    EXPECT_EQ(closings[1].value("request_id", ""), "req-second-closing");
}

TEST_F(LadderDoor, FinalNeverGoesBackEvenForced) {
    ASSERT_NO_FATAL_FAILURE(launch_and_close_acme("final"));

    proxy().write_flags_in_place(
        LadderFlags{}.tenant("acme", "legacy").forcing("acme", "we really mean it").json());
    EXPECT_TRUE(log_line_mentions({"change refused", "tenants.acme", "final"})) << proxy_log();
    expect_acme_still_on_new();

    proxy().write_flags_in_place(LadderFlags{}.forcing("acme", "removing the entry").json());
    EXPECT_TRUE(log_line_mentions({"change refused", "tenants.acme", "removed"})) << proxy_log();
    expect_acme_still_on_new();

    proxy().write_flags_in_place(LadderFlags{}.tenant("acme", "new").json());
    EXPECT_TRUE(log_line_mentions({"change refused", "tenants.acme", "moved to new"}))
        << proxy_log();
    expect_acme_still_on_new();
    EXPECT_TRUE(journal_events("forced_move", "acme").empty()) << slurp(journal_path());
    EXPECT_EQ(proxy_log().find("FORCED"), std::string::npos) << proxy_log();
}

// Final by default_stage (no entry of its own) is final too: neither a new entry nor a cohort
// growing over the default may take the tenant back.
TEST_F(LadderDoor, FinalByDefaultNeverGoesBackEvenForced) {
    ASSERT_NO_FATAL_FAILURE(launch_ladder(LadderFlags{}.default_stage("final")));
    ASSERT_EQ(side_of(send("POST", "acme", kFirstWrite)), "new");

    proxy().write_flags_in_place(LadderFlags{}
                                     .default_stage("final")
                                     .tenant("acme", "legacy")
                                     .forcing("acme", "we really mean it")
                                     .json());
    EXPECT_TRUE(log_line_mentions({"change refused", "tenants.acme", "is final"})) << proxy_log();
    expect_acme_still_on_new();

    proxy().write_flags_in_place(
        LadderFlags{}.default_stage("final").rollout("legacy", 100).json());
    EXPECT_TRUE(log_line_mentions({"change refused", "rollout", "final by default_stage"}))
        << proxy_log();
    expect_acme_still_on_new();
    EXPECT_EQ(side_of(send("POST", "globex")), "new");
    EXPECT_EQ(received(legacy_, "globex", "POST"), 0u);
    EXPECT_TRUE(journal_events("forced_move", "acme").empty()) << slurp(journal_path());
}

}  // namespace
}  // namespace switchyard::test
