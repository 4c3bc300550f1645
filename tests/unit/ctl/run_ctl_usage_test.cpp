// Command-line mistakes are refused in-process, before any connection: the server URL below
// has nothing listening, so reaching it would fail with 3, not 2.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "ctl/ctl.hpp"

namespace switchyard {
namespace {

struct Run {
    int code = -1;
    std::string out;
    std::string err;
};

Run run(std::vector<std::string> args, std::string stdin_text = {}) {
    args.insert(args.begin(), "ctl");
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::istringstream in(stdin_text);
    std::ostringstream out, err;
    Run result;
    result.code = run_ctl(static_cast<int>(args.size()), argv.data(), in, out, err);
    result.out = out.str();
    result.err = err.str();
    return result;
}

// Port 1 on loopback: nobody listens there, and the tests below must never get that far.
const std::vector<std::string> kNowhere{"--server", "http://127.0.0.1:1", "--timeout-ms", "500"};

std::vector<std::string> with_server(std::vector<std::string> args) {
    args.insert(args.end(), kNowhere.begin(), kNowhere.end());
    return args;
}

TEST(RunCtlUsage, AChangeWithoutAReasonIsRefusedBeforeCallingTheServer) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"tenants", "set", "acme", "new"},
             {"tenants", "set", "acme", "new", "--reason", "  "},
             {"tenants", "unpin", "acme"},
             {"tenants", "batch", "-"},
             {"rollout", "set", "--stage", "new", "--percent", "5"}}) {
        const auto result = run(with_server(args), "[{\"tenant\": \"a\", \"stage\": \"new\"}]");
        EXPECT_EQ(result.code, 2) << args[1] << "\n" << result.err;
        EXPECT_NE(result.err.find("a reason is required"), std::string::npos) << result.err;
        EXPECT_EQ(result.err.find("cannot reach"), std::string::npos) << result.err;
        EXPECT_EQ(result.out, "");
    }
}

TEST(RunCtlUsage, UnknownStageCommandOrOptionIsAUsageError) {
    EXPECT_EQ(run(with_server({"tenants", "set", "acme", "nwe", "--reason", "r"})).code, 2);
    EXPECT_EQ(run(with_server({"tenants", "frobnicate"})).code, 2);
    EXPECT_EQ(run(with_server({"tenants"})).code, 2);
    EXPECT_EQ(run({}).code, 2);
    EXPECT_EQ(run(with_server({"audit", "--limit", "0"})).code, 2);
    EXPECT_EQ(
        run(with_server({"rollout", "set", "--stage", "new", "--percent", "101", "--reason", "r"}))
            .code,
        2);
    EXPECT_EQ(run(with_server({"owner"})).code, 2);
}

TEST(RunCtlUsage, ABadBatchFileIsAUsageError) {
    auto result = run(with_server({"tenants", "batch", "-", "--reason", "r"}), "{not json");
    EXPECT_EQ(result.code, 2);
    EXPECT_NE(result.err.find("stdin: expected a JSON array of changes"), std::string::npos)
        << result.err;
    result = run(with_server({"tenants", "batch", "/nonexistent/changes.json", "--reason", "r"}));
    EXPECT_EQ(result.code, 2);
    EXPECT_NE(result.err.find("cannot read /nonexistent/changes.json"), std::string::npos)
        << result.err;
}

TEST(RunCtlUsage, AnHttpsUrlIsAUsageError) {
    const auto result = run({"--server", "https://127.0.0.1:9901", "tenants", "list"});
    EXPECT_EQ(result.code, 2);
    EXPECT_NE(result.err.find("https is not supported"), std::string::npos) << result.err;
}

TEST(RunCtlUsage, HelpListsTheExitCodesAndSucceeds) {
    const auto result = run({"--help"});
    EXPECT_EQ(result.code, 0);
    EXPECT_NE(result.out.find("Exit codes:"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("6  refused by the one-way door"), std::string::npos) << result.out;
    EXPECT_EQ(run({"tenants", "set", "--help"}).code, 0);
}

TEST(RunCtlUsage, NothingListeningIsExitCodeThreeAndNamesTheUrl) {
    const auto result = run(with_server({"tenants", "list"}));
    EXPECT_EQ(result.code, 3);
    EXPECT_NE(result.err.find("cannot reach the admin API at http://127.0.0.1:1"),
              std::string::npos)
        << result.err;
}

TEST(RunCtlUsage, GlobalOptionsMayFollowTheSubcommand) {
    const auto result = run({"tenants", "list", "--server", "http://127.0.0.1:1", "--json"});
    EXPECT_EQ(result.code, 3) << result.err;
}

}  // namespace
}  // namespace switchyard
