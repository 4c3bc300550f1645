#include "ctl/problems.hpp"

#include <gtest/gtest.h>

namespace switchyard::ctl {
namespace {

using nlohmann::json;

const char* kRefusedLine =
    "tenants.acme: cannot go back to legacy: door closed 2024-11-23T10:15:02Z by request r-1 "
    "(POST /orders on proxy-1); the new side may hold writes legacy never saw, and only a forced "
    "move (with a reason) accepts losing them";

json door_body() {
    return {{"error", "door_closed"},
            {"message", std::string(kRefusedLine) + ". To accept that loss, retry with force."},
            {"refused", {kRefusedLine}}};
}

json acme_view() {
    return json::parse(R"({"tenant": "acme", "stage": "new", "door": {
      "closed": true, "closed_unix_ms": 1732356902000, "request_id": "r-1", "instance": "proxy-1",
      "method": "POST", "path": "/orders"}})");
}

TEST(DoorRefusals, NameTheTenantAndWhereItWouldGo) {
    const json body{{"refused",
                     {kRefusedLine, "tenants.a:b@c: cannot go back to reads: door closed …",
                      "tenants.z: is final and cannot be removed: legacy no longer has its data"}}};
    const auto refusals = door_refusals(body);
    ASSERT_EQ(refusals.size(), 3u);
    EXPECT_EQ(refusals[0].tenant, "acme");
    EXPECT_EQ(refusals[0].to, "legacy");
    EXPECT_EQ(refusals[1].tenant, "a:b@c");
    EXPECT_EQ(refusals[1].to, "reads");
    EXPECT_EQ(refusals[2].tenant, "z");
    EXPECT_EQ(refusals[2].to, "");
    EXPECT_TRUE(door_refusals(json::object()).empty());
}

TEST(ExplainAnswer, AClosedDoorSaysWhenWhyWhatForceLosesAndHow) {
    ProblemContext context;
    context.force_command = "switchyard ctl tenants set acme legacy --reason 'INC 1' --force";
    context.tenant_views["acme"] = acme_view();
    EXPECT_EQ(
        explain_answer(409, door_body(), "", context),
        "switchyard ctl: refused (409 door_closed): moving acme back to legacy would lose data.\n"
        "  acme's one-way door closed at 2024-11-23T10:15:02Z,\n"
        "  by request r-1 (POST /orders on proxy-1),\n"
        "  its first write to the new side. Since then its writes have gone to new, and legacy\n"
        "  has never seen them (replication runs legacy → new only). Forcing the move would\n"
        "  lose, for acme, every write it made on new since 2024-11-23T10:15:02Z.\n"
        "  If that loss is accepted, force it (the force and the reason are audited):\n"
        "    switchyard ctl tenants set acme legacy --reason 'INC 1' --force\n");
}

TEST(ExplainAnswer, WithoutTheDoorDetailsTheServersWordsAreShown) {
    const auto text = explain_answer(409, door_body(), "", {});
    EXPECT_NE(text.find("  server: tenants.acme: cannot go back to legacy"), std::string::npos)
        << text;
    EXPECT_EQ(text.find("force it"), std::string::npos) << text;
}

TEST(ExplainAnswer, AFinalTenantCannotBeForced) {
    const json body{{"error", "final_tenant"},
                    {"message", "tenants.acme: is final and cannot be moved"}};
    const auto text = explain_answer(409, body, "", {});
    EXPECT_NE(text.find("not even --force"), std::string::npos) << text;
}

TEST(ExplainAnswer, PreconditionFailedSaysToReRead) {
    ProblemContext context;
    context.subject = "tenant acme";
    context.reread_command = "switchyard ctl tenants get acme";
    const auto text =
        explain_answer(412, {{"error", "precondition_failed"}, {"message", "x"}}, "", context);
    EXPECT_NE(text.find("tenant acme changed\n  since you read it: someone else changed it"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("(switchyard ctl tenants get acme)"), std::string::npos) << text;
}

TEST(ExplainAnswer, UnauthorizedSaysHowToGetAndPassAToken) {
    ProblemContext context;
    context.admin_url = "http://127.0.0.1:9901";
    auto text = explain_answer(401, {{"error", "unauthorized"}, {"message", "m"}}, "", context);
    EXPECT_NE(text.find("no token given"), std::string::npos) << text;
    EXPECT_NE(text.find("switchyard token add NAME --role"), std::string::npos) << text;
    EXPECT_NE(text.find("SWITCHYARD_TOKEN"), std::string::npos) << text;
    context.token_given = true;
    text = explain_answer(401, {{"error", "unauthorized"}, {"message", "m"}}, "", context);
    EXPECT_NE(text.find("does not know this token"), std::string::npos) << text;
    text = explain_answer(403, {{"error", "forbidden"}, {"message", "token \"v\" is a viewer"}}, "",
                          context);
    EXPECT_NE(text.find("forbidden (403 forbidden): token \"v\" is a viewer"), std::string::npos)
        << text;
    EXPECT_NE(text.find("--role operator"), std::string::npos) << text;
}

TEST(ExplainAnswer, ServerErrorsGiveTheRequestId) {
    const auto text = explain_answer(
        503, {{"error", "journal_unavailable"}, {"message", "disk full"}}, "abc123", {});
    EXPECT_EQ(text,
              "switchyard ctl: server error (503 journal_unavailable): disk full\n"
              "  request id abc123 (in the proxy's log)\n");
}

TEST(ExplainAnswer, AnAnswerWithoutJson) {
    EXPECT_EQ(explain_answer(502, nullptr, "", {}),
              "switchyard ctl: server error (502): (no message)\n");
}

TEST(ExplainUnreachable, NamesTheUrl) {
    const auto text = explain_unreachable("http://127.0.0.1:1", "connect: Connection refused");
    EXPECT_EQ(
        text.rfind("switchyard ctl: cannot reach the admin API at http://127.0.0.1:1: connect: "
                   "Connection refused\n",
                   0),
        0u)
        << text;
}

}  // namespace
}  // namespace switchyard::ctl
