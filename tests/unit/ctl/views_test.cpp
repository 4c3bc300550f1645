// The human views of tenant, rollout, owner and audit answers, from JSON shaped like the
// admin API's (admin/flag_editor.cpp, admin/audit_log.cpp).
#include <gtest/gtest.h>

#include "ctl/audit_view.hpp"
#include "ctl/rollout_view.hpp"
#include "ctl/tenant_view.hpp"

namespace switchyard::ctl {
namespace {

using nlohmann::json;

const json kClosedDoor = json::parse(R"json({
  "closed": true, "closed_unix_ms": 1732356902000, "request_id": "r-1", "instance": "proxy-1",
  "method": "POST", "path": "/orders",
  "description": "door closed 2024-11-23T10:15:02Z by request r-1 (POST /orders on proxy-1)"})json");

json view(std::string tenant, std::string stage, std::string why, std::string owner, json door) {
    return {{"tenant", tenant},
            {"stage", stage},
            {"why", why},
            {"owner", owner},
            {"entry", {{"stage", stage}}},
            {"door", door},
            {"version", "\"0123456789abcdef\""}};
}

TEST(TenantListText, IsATableWithTheDoorsCloseTime) {
    const json body{{"tenants",
                     {view("acme", "new", "pinned", "new", kClosedDoor),
                      view("globex", "reads", "pinned", "legacy", {{"closed", false}})}},
                    {"next", nullptr},
                    {"total", 2}};
    EXPECT_EQ(tenant_list_text(body),
              "TENANT  STAGE  WHY     OWNER   DOOR\n"
              "acme    new    pinned  new     closed 2024-11-23T10:15:02Z\n"
              "globex  reads  pinned  legacy  open\n"
              "\n"
              "2 of 2 tenants with an entry of their own or a closed door; the rest follow the "
              "rollout\n");
}

TEST(TenantListText, SaysHowToPageOn) {
    const json body{{"tenants", {view("acme", "new", "pinned", "new", {{"closed", false}})}},
                    {"next", "acme"},
                    {"total", 5}};
    EXPECT_NE(tenant_list_text(body).find("more: switchyard ctl tenants list --after acme\n"),
              std::string::npos);
}

TEST(TenantListText, NoTenants) {
    EXPECT_EQ(tenant_list_text({{"tenants", json::array()}, {"next", nullptr}, {"total", 0}}),
              "no tenant has an entry of its own or a closed door: all follow the rollout "
              "(switchyard ctl rollout get)\n");
}

TEST(TenantText, OneFactPerLine) {
    auto v = view("acme", "new", "held_by_door", "new", kClosedDoor);
    v["entry"] = {{"stage", "reads"}, {"note", "wave 2"}};
    EXPECT_EQ(tenant_text(v),
              "tenant   acme\n"
              "stage    new\n"
              "why      held_by_door (its door is closed: kept on new)\n"
              "owner    new (background jobs for it run there only)\n"
              "entry    reads (note: wave 2)\n"
              "door     closed 2024-11-23T10:15:02Z by request r-1 (POST /orders on proxy-1)\n"
              "version  0123456789abcdef\n");
}

TEST(TenantChangeText, ShowsBeforeAfterAndWhereItStandsNow) {
    const json body{{"before", {{"stage", "reads"}}},
                    {"after", {{"stage", "new"}}},
                    {"tenant", view("acme", "new", "pinned", "new", {{"closed", false}})},
                    {"held", json::array()},
                    {"forced", json::array()}};
    EXPECT_EQ(tenant_change_text(body),
              "acme: reads → new\n"
              "now: stage new (pinned), owner of writes new, door open\n"
              "version: 0123456789abcdef\n");
}

TEST(TenantChangeText, AnUnpinEndsWithNoEntryAndAForcedMoveIsSaid) {
    auto now = view("acme", "legacy", "default", "legacy", {{"closed", false}});
    now["entry"] = nullptr;
    const json body{{"before", {{"stage", "new"}}},
                    {"after", nullptr},
                    {"tenant", now},
                    {"held", json::array()},
                    {"forced", {"acme"}}};
    const auto text = tenant_change_text(body);
    EXPECT_NE(text.find("acme: new → (no entry)\n"), std::string::npos) << text;
    EXPECT_NE(text.find("forced back despite a closed door"), std::string::npos) << text;
}

TEST(BatchText, ListsTheTenantsAsTheyStand) {
    const json body{{"tenants",
                     {view("a", "new", "pinned", "new", {{"closed", false}}),
                      view("b", "legacy", "default", "legacy", {{"closed", false}})}},
                    {"held", json::array()},
                    {"forced", json::array()}};
    EXPECT_EQ(batch_text(body),
              "applied 2 changes together; now:\n"
              "TENANT  STAGE   WHY      OWNER   DOOR\n"
              "a       new     pinned   new     open\n"
              "b       legacy  default  legacy  open\n");
}

TEST(OwnerText, QuietIsTheSideAlone) {
    const json body{{"tenant", "acme"}, {"owner", "legacy"}};
    EXPECT_EQ(owner_text(body, true), "legacy\n");
    EXPECT_EQ(owner_text(body, false),
              "acme: writes owned by legacy; background jobs for it run on legacy only\n");
}

TEST(RolloutText, ShowsTheCohortAndItsVersion) {
    const json body{{"stage", "new"}, {"percent", 12.5}, {"salt", "wave-1"}, {"version", "\"ab\""}};
    EXPECT_EQ(rollout_text(body),
              "stage    new\n"
              "percent  12.5% of tenants without an entry of their own\n"
              "salt     wave-1\n"
              "version  ab\n");
}

TEST(RolloutChangeText, ShowsBeforeAfterAndTheHeld) {
    const json body{
        {"before", {{"stage", "new"}, {"percent", 10}, {"salt", "wave-1"}}},
        {"rollout", {{"stage", "new"}, {"percent", 5}, {"salt", "wave-1"}, {"version", "\"cd\""}}},
        {"held", {"acme", "initech"}},
        {"forced", json::array()}};
    EXPECT_EQ(rollout_change_text(body),
              "rollout: new 10% (salt wave-1) → new 5% (salt wave-1)\n"
              "held on new (their doors are closed, so this change did not move them): acme, "
              "initech\n"
              "version: cd\n");
}

TEST(AuditText, ATableNewestFirst) {
    const json body{{"entries",
                     {{{"time", "2024-11-23T10:16:00Z"},
                       {"token", "alice"},
                       {"action", "set_rollout"},
                       {"tenant", nullptr},
                       {"before", {{"stage", "new"}, {"percent", 0}, {"salt", "s"}}},
                       {"after", {{"stage", "new"}, {"percent", 5}, {"salt", "s"}}},
                       {"reason", "wave 1"},
                       {"force", false},
                       {"request_id", "r-2"}},
                      {{"time", "2024-11-23T10:15:00Z"},
                       {"token", "alice"},
                       {"action", "set_tenant"},
                       {"tenant", "acme"},
                       {"before", nullptr},
                       {"after", {{"stage", "new"}}},
                       {"reason", "pilot"},
                       {"force", true},
                       {"request_id", "r-1"}}}}};
    EXPECT_EQ(
        audit_text(body),
        "TIME                  TOKEN  ACTION       TENANT     BEFORE           AFTER          "
        "  FORCE   REASON  REQUEST ID\n"
        "2024-11-23T10:16:00Z  alice  set_rollout  (rollout)  new 0% (salt s)  new 5% (salt s)"
        "          wave 1  r-2\n"
        "2024-11-23T10:15:00Z  alice  set_tenant   acme       (no entry)       new            "
        "  forced  pilot   r-1\n"
        "\n2 entries, newest first\n");
    EXPECT_EQ(audit_text({{"entries", json::array()}}), "no audit entries\n");
}

TEST(Views, AnOddAnswerPrintsOddlyButNeverThrows) {
    const json odd =
        json::parse(R"({"tenants": 5, "tenant": [1], "entries": {"x": 1}, "door": 3})");
    EXPECT_NO_THROW(tenant_list_text(odd));
    EXPECT_NO_THROW(tenant_text(odd));
    EXPECT_NO_THROW(tenant_change_text(odd));
    EXPECT_NO_THROW(batch_text(odd));
    EXPECT_NO_THROW(rollout_change_text(odd));
    EXPECT_NO_THROW(audit_text(odd));
    EXPECT_NO_THROW(owner_text(json::array(), false));
}

}  // namespace
}  // namespace switchyard::ctl
