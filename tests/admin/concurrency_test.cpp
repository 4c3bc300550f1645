// Several operators at once (issue 5): If-Match lets exactly one of them win each round, and a
// token added with `switchyard token add` works at once, without restarting the proxy.
#include <algorithm>
#include <fstream>
#include <latch>
#include <thread>

#include "admin_fixture.hpp"

namespace switchyard::test {
namespace {

using nlohmann::json;

class AdminConcurrency : public AdminTest {};

TEST_F(AdminConcurrency, IfMatchPutsFromSeveralClientsHaveOneWinnerEachRound) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "legacy")));
    constexpr int kClients = 4;
    constexpr int kRounds = 6;
    for (int round = 0; round < kRounds; ++round) {
        const auto etag = as_viewer("GET", "/v1/tenants/acme").headers.value_or_empty("ETag");
        ASSERT_FALSE(etag.empty());
        std::vector<int> statuses(kClients, 0);
        std::latch start(kClients);
        std::vector<std::thread> clients;
        for (int client = 0; client < kClients; ++client) {
            clients.emplace_back([&, client] {
                const json change{{"stage", round % 2 ? "shadow" : "reads"},
                                  {"note", "round " + std::to_string(round) + " client " +
                                               std::to_string(client)},
                                  {"reason", "race"}};
                start.arrive_and_wait();
                statuses[client] =
                    as_operator("PUT", "/v1/tenants/acme", change, {{"If-Match", etag}}).status;
            });
        }
        for (auto& client : clients) client.join();

        int winner = -1;
        for (int client = 0; client < kClients; ++client) {
            if (statuses[client] == 200) {
                EXPECT_EQ(winner, -1) << "round " << round << ": two winners";
                winner = client;
            } else {
                EXPECT_EQ(statuses[client], 412) << "round " << round << " client " << client;
            }
        }
        ASSERT_NE(winner, -1) << "round " << round << ": nobody won";
        const auto note = "round " + std::to_string(round) + " client " + std::to_string(winner);
        EXPECT_EQ(flag_file()["tenants"]["acme"].value("note", ""), note) << flag_file_text();
        EXPECT_EQ(json_of(as_viewer("GET", "/v1/tenants/acme"))["entry"].value("note", ""), note);
        EXPECT_EQ(audit_lines().size(), static_cast<std::size_t>(round + 1));
    }
}

TEST_F(AdminConcurrency, TokenAddedWhileRunningWorksWithoutARestart) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "legacy")));
    const auto pid = proxy().pid();
    ASSERT_EQ(as_viewer("GET", "/v1/tenants").status, 200);  // the tokens file is loaded

    const auto bob = add_token("bob", "operator");
    ASSERT_FALSE(bob.empty());
    EXPECT_EQ(slurp(tokens_file_).find(bob), std::string::npos) << "the tokens file holds a token";
    const auto put =
        call("PUT", "/v1/tenants/acme", bob, R"({"stage": "reads", "reason": "bob's turn"})");
    ASSERT_EQ(put.status, 200) << put.describe();
    EXPECT_EQ(side_of_tenant("acme"), "new");
    const auto audit = audit_lines();
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].value("token", ""), "bob");

    const auto carol = add_token("carol", "viewer");
    EXPECT_EQ(call("GET", "/v1/tenants/acme", carol).status, 200);
    EXPECT_EQ(
        call("PUT", "/v1/tenants/acme", carol, R"({"stage": "new", "reason": "carol"})").status,
        403);
    // The tokens made before still work, and it is the same process throughout.
    EXPECT_EQ(as_viewer("GET", "/v1/rollout").status, 200);
    EXPECT_EQ(proxy().pid(), pid);
    EXPECT_TRUE(proxy().running());
}

TEST_F(AdminConcurrency, TokenTakenOutOfTheFileIsRefusedWithoutARestart) {
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "legacy")));
    const auto bob = add_token("bob", "operator");
    ASSERT_EQ(call("GET", "/v1/tenants", bob).status, 200);

    auto tokens = json::parse(slurp(tokens_file_));
    auto& list = tokens["tokens"];
    list.erase(std::remove_if(list.begin(), list.end(),
                              [](const json& token) { return token.value("name", "") == "bob"; }),
               list.end());
    const auto aside = work_dir_ / "tokens.json.next";
    std::ofstream(aside) << tokens.dump(2) << "\n";
    std::filesystem::rename(aside, tokens_file_);

    EXPECT_EQ(call("GET", "/v1/tenants", bob).status, 401);
    EXPECT_EQ(
        call("PUT", "/v1/tenants/acme", bob, R"({"stage": "new", "reason": "revoked"})").status,
        401);
    EXPECT_EQ(stage_on_disk("acme"), "legacy");
    EXPECT_EQ(as_viewer("GET", "/v1/tenants").status, 200);
}

}  // namespace
}  // namespace switchyard::test
