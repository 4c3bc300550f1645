#include "ctl_fixture.hpp"

#include <cstdlib>

namespace switchyard::test {

namespace fs = std::filesystem;

namespace {

std::string token_for(const fs::path& tokens_file, const std::string& name,
                      const std::string& role) {
    ProcessRun run;
    run.argv = {SWITCHYARD_BINARY, "token", "add",           name,
                "--role",          role,    "--tokens-file", tokens_file.string()};
    const auto result = run_process(run);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    auto token = result.out;
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    return token;
}

}  // namespace

void CtlTest::SetUp() {
    std::string pattern = (fs::temp_directory_path() / "switchyard-ctl-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    scratch_ = pattern;
}

void CtlTest::TearDown() {
    ProxyTest::TearDown();
    if (std::getenv("SWITCHYARD_KEEP_TEST_DIRS") == nullptr) {
        std::error_code ignored;
        fs::remove_all(scratch_, ignored);
    }
}

void CtlTest::start(const FlagDocument& flags) {
    const auto tokens_file = scratch_ / "tokens.json";
    operator_token_ = token_for(tokens_file, "alice", "operator");
    viewer_token_ = token_for(tokens_file, "victor", "viewer");
    ASSERT_FALSE(operator_token_.empty());
    ASSERT_FALSE(viewer_token_.empty());

    auto config = base_config();
    config["admin"] = {{"address", "127.0.0.1:0"}, {"tokens_file", tokens_file.string()}};
    config["instance"] = "proxy-1";  // named in door closings: the same in every golden file
    ASSERT_NO_FATAL_FAILURE(launch(config, flags.json()));
    const auto ready =
        nlohmann::json::parse(proxy().read_file(ProxyProcess::kReadyFile), nullptr, false);
    ASSERT_TRUE(ready.is_object() && ready.contains("admin"))
        << proxy().read_file(ProxyProcess::kReadyFile);
    admin_url_ = "http://" + ready["admin"].get<std::string>();
}

ProcessResult CtlTest::ctl(const std::vector<std::string>& args, const std::string& token,
                           std::map<std::string, std::string> environment,
                           const std::string& stdin_text) {
    ProcessRun run;
    run.argv = {SWITCHYARD_BINARY, "ctl"};
    run.argv.insert(run.argv.end(), args.begin(), args.end());
    environment.emplace("SWITCHYARD_ADMIN_URL", admin_url_);
    if (!token.empty()) environment.emplace("SWITCHYARD_TOKEN", token);
    run.environment = std::move(environment);
    run.stdin_text = stdin_text;
    auto result = run_process(run);
    EXPECT_FALSE(result.timed_out) << "switchyard ctl did not finish";
    return result;
}

void CtlTest::expect_golden_run(const std::string& name, const std::vector<std::string>& args,
                                const ProcessResult& result, int expected_exit,
                                const GoldenOptions& options) {
    EXPECT_EQ(result.exit_code, expected_exit) << "stdout:\n"
                                               << result.out << "stderr:\n"
                                               << result.err;
    expect_golden(name, golden_text(args, result, options));
    // Whatever happened, the token never shows.
    for (const auto* token : {&operator_token_, &viewer_token_}) {
        if (token->empty()) continue;
        EXPECT_EQ(result.out.find(*token), std::string::npos);
        EXPECT_EQ(result.err.find(*token), std::string::npos);
    }
}

void CtlTest::expect_ctl_golden(const std::string& name, const std::vector<std::string>& args,
                                int expected_exit, const GoldenOptions& options) {
    expect_golden_run(name, args, as_operator(args), expected_exit, options);
}

void CtlTest::close_door(const std::string& tenant) {
    const auto response = http_request(port(), "POST", "/orders",
                                       {{"X-Tenant-Id", tenant},
                                        {"X-Request-Id", "door-closer-1"},
                                        {"Content-Type", "application/json"}},
                                       "{\"item\": 1}");
    ASSERT_EQ(response.status, 200) << response.describe();
    ASSERT_EQ(side_of(response), "new") << response.describe();
    ASSERT_TRUE(wait_until([&] { return tenant_json(tenant)["door"]["closed"] == true; }, 5s))
        << tenant_json(tenant).dump();
}

nlohmann::json CtlTest::tenant_json(const std::string& tenant) {
    const auto result = as_viewer({"tenants", "get", tenant, "--json"});
    return nlohmann::json::parse(result.out, nullptr, false);
}

}  // namespace switchyard::test
