// Durable before 2xx (ARCHITECTURE.md invariant 4) and hand edits living beside admin changes:
// an accepted change survives kill -9, and neither a hand edit nor an admin change ever loses
// the other's work, in the file or in routing.
#include <fstream>
#include <thread>

#include "admin_fixture.hpp"

namespace switchyard::test {
namespace {

using nlohmann::json;

class AdminDurability : public AdminTest {
  protected:
    // Enough tenants that reading, changing and writing the document takes milliseconds, so
    // the races below have room to happen.
    static FlagDocument bulk_flags() {
        FlagDocument flags;
        for (int i = 0; i < 20000; ++i) flags.tenant("bulk-" + std::to_string(i), "legacy");
        return flags;
    }
    // A hand edit as an editor saves it: the file as it is now plus `tenant` at `stage`,
    // written aside and renamed over.
    void hand_edit(const std::string& tenant, const std::string& stage) {
        auto document = flag_file();
        ASSERT_TRUE(document.is_object()) << flag_file_text();
        document["tenants"][tenant] = {{"stage", stage}};
        const auto aside = work_dir_ / "flags.json.editor-swp";
        {
            std::ofstream out(aside, std::ios::trunc);
            out << document.dump(2) << "\n";
            ASSERT_TRUE(out.flush());
        }
        std::filesystem::rename(aside, flag_file_);
    }
};

TEST_F(AdminDurability, ChangeAnsweredOkSurvivesKill9) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "legacy")));
    const auto put =
        as_operator("PUT", "/v1/tenants/acme", {{"stage", "new"}, {"reason", "durable"}},
                    {{"X-Request-Id", "before-the-crash"}});
    ASSERT_EQ(put.status, 200) << put.describe();
    const auto rollout =
        as_operator("PUT", "/v1/rollout", {{"stage", "reads"}, {"percent", 100}, {"reason", "r"}});
    ASSERT_EQ(rollout.status, 200) << rollout.describe();
    ASSERT_NO_FATAL_FAILURE(kill_and_restart());

    EXPECT_EQ(stage_on_disk("acme"), "new") << flag_file_text();
    EXPECT_EQ(flag_file()["rollout"].value("percent", -1), 100);
    EXPECT_EQ(side_of_tenant("acme", "POST"), "new");
    EXPECT_EQ(side_of_tenant("cohort-tenant"), "new");
    EXPECT_EQ(side_of_tenant("cohort-tenant", "POST"), "legacy");
    const auto view = json_of(as_viewer("GET", "/v1/tenants/acme"));
    EXPECT_EQ(view.value("stage", ""), "new") << view.dump();

    const auto audit = audit_lines();
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_EQ(audit[0].value("request_id", ""), "before-the-crash");
    EXPECT_EQ(audit[0]["after"], (json{{"stage", "new"}}));
    EXPECT_EQ(audit[1].value("action", ""), "set_rollout");
    const auto listed = json_of(as_viewer("GET", "/v1/audit"))["entries"];
    EXPECT_EQ(listed.size(), 2u);
}

TEST_F(AdminDurability, HandEditAndAdminChangeNeverLoseEachOther) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}));
    constexpr int kRounds = 12;
    int flips = 0;
    for (int round = 0; round < kRounds; ++round) {
        const auto hand = "hand-" + std::to_string(round);
        const auto admin = "admin-" + std::to_string(round);
        ASSERT_NO_FATAL_FAILURE(hand_edit(hand, "new"));
        // The point is the timing against the watcher (50 ms debounce, 100 ms poll): the admin
        // change lands before the reload, during it, or just after, one round each.
        std::this_thread::sleep_for(std::chrono::milliseconds(5 * round));
        const auto put = put_stage(admin, "new");
        ASSERT_EQ(put.status, 200) << put.describe();
        // Routed at once, and it stays routed while the watcher takes in the hand edit.
        const bool hand_routed = wait_until(
            [&] {
                if (side_of_tenant(admin) != "new") ++flips;
                return side_of_tenant(hand) == "new";
            },
            5s, 5ms);
        EXPECT_TRUE(hand_routed) << "round " << round << ": the hand edit never routed";
        for (int check = 0; check < 20; ++check) {
            if (side_of_tenant(admin) != "new") ++flips;
            if (side_of_tenant(hand) != "new") ++flips;
        }
    }
    EXPECT_EQ(flips, 0) << "a tenant changed by the admin API (answered 200) or by hand went "
                           "back to legacy for a while: a stale reload overwrote the other's "
                           "change in the running snapshot";
    for (int round = 0; round < kRounds; ++round) {
        for (const auto& tenant :
             {"hand-" + std::to_string(round), "admin-" + std::to_string(round)}) {
            EXPECT_EQ(stage_on_disk(tenant), "new") << tenant << " lost from the file";
            EXPECT_TRUE(routes_to(tenant, "new")) << tenant << " lost from routing";
        }
    }
    EXPECT_EQ(audit_lines().size(), static_cast<std::size_t>(kRounds));
}

TEST_F(AdminDurability, AdminChangeIsNeverUndoneByTheReloadOfAnEarlierOne) {
    // Each admin change renames the flag file, so the watcher reloads it some 50 ms later. A
    // second change published while that reload is parsing must not be replaced by it: the
    // reload's document is older than the running snapshot.
    ASSERT_NO_FATAL_FAILURE(launch_admin(bulk_flags()));
    constexpr int kRounds = 80;
    std::vector<std::string> undone;
    for (int round = 0; round < kRounds; ++round) {
        const auto first = "first-" + std::to_string(round);
        const auto second = "second-" + std::to_string(round);
        ASSERT_EQ(put_stage(first, "new").status, 200);
        const auto gap = std::chrono::milliseconds(round / 4);  // 0 to 20 ms
        std::this_thread::sleep_for(gap);
        ASSERT_EQ(put_stage(second, "new").status, 200);
        bool flipped = false;
        for (int check = 0; check < 100 && !flipped; ++check) {
            flipped = side_of_tenant(second) != "new";
        }
        if (flipped) undone.push_back(second + " (" + std::to_string(gap.count()) + " ms gap)");
    }
    EXPECT_TRUE(undone.empty()) << undone.size() << " admin changes answered 200 went back to "
                                << "legacy for a while: " << testing::PrintToString(undone);
}

// The admin change puts its version in place with an atomic exchange of names and gives a save
// that landed since its read back (flags/file_replace.hpp): no window, so every round counts.
TEST_F(AdminDurability, HandEditSavedWhileAnAdminChangeIsBeingWrittenIsKept) {
    // An admin change reads the file, changes it and renames its version over it; a hand edit
    // saved between that read and that rename must survive it.
    ASSERT_NO_FATAL_FAILURE(launch_admin(bulk_flags()));
    constexpr int kRounds = 12;
    std::vector<std::string> lost;
    for (int round = 0; round < kRounds; ++round) {
        const auto hand = "hand-" + std::to_string(round);
        const auto admin = "admin-" + std::to_string(round);
        int status = 0;
        std::thread operator_call([&] { status = put_stage(admin, "new").status; });
        std::this_thread::sleep_for(std::chrono::milliseconds(2 * round));
        hand_edit(hand, "new");
        operator_call.join();
        if (HasFatalFailure()) return;
        ASSERT_EQ(status, 200);
        // The file is what the last rename left. With admin-N but without hand-N it is the
        // admin's, made from a read before the hand edit was saved. (Had the hand edit read
        // before the admin's rename and saved after, admin-N would be the one missing: that
        // would be the editor's fault, not counted here.)
        if (stage_on_disk(hand).empty() && !stage_on_disk(admin).empty()) {
            lost.push_back(hand + " (saved " + std::to_string(2 * round) + " ms into the PUT)");
        }
    }
    EXPECT_TRUE(lost.empty()) << lost.size() << " hand edits saved while an admin change was "
                              << "being written were overwritten by it: "
                              << testing::PrintToString(lost);
}

}  // namespace
}  // namespace switchyard::test
