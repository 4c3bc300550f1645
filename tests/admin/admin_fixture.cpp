#include "admin_fixture.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <tuple>

extern char** environ;

namespace switchyard::test {

namespace fs = std::filesystem;

namespace {

constexpr std::chrono::seconds kCommandBound{10};

std::vector<nlohmann::json> json_lines(const fs::path& file) {
    std::vector<nlohmann::json> entries;
    std::istringstream lines(slurp(file));
    std::string line;
    while (std::getline(lines, line)) {
        if (!line.empty()) entries.push_back(nlohmann::json::parse(line, nullptr, false));
    }
    return entries;
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

}  // namespace

CommandResult run_switchyard(const std::vector<std::string>& args) {
    std::vector<std::string> argv_text{SWITCHYARD_BINARY};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_text) argv.push_back(arg.data());
    argv.push_back(nullptr);

    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    pid_t pid = -1;
    const int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    CommandResult result;
    if (spawned != 0) {
        ::close(out[0]);
        return result;
    }
    // Bounded: a hung command is killed, never waited for forever.
    const auto deadline = std::chrono::steady_clock::now() + kCommandBound;
    char buffer[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd readable{out[0], POLLIN, 0};
        if (left.count() <= 0 || ::poll(&readable, 1, static_cast<int>(left.count())) <= 0) {
            ::kill(pid, SIGKILL);
            break;
        }
        const auto n = ::read(out[0], buffer, sizeof buffer);
        if (n <= 0) break;
        result.out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    int status = 0;
    if (::waitpid(pid, &status, 0) == pid && WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    }
    return result;
}

void AdminTest::SetUp() {
    std::string pattern = (fs::temp_directory_path() / "switchyard-admin-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    work_dir_ = pattern;
    flag_file_ = work_dir_ / "flags.json";
    tokens_file_ = work_dir_ / "tokens.json";
    state_dir_ = work_dir_ / "state";
    for (auto [name, role, token] : {std::tuple{kOperator, "operator", &operator_token_},
                                     std::tuple{kViewer, "viewer", &viewer_token_}}) {
        const auto added = run_switchyard(
            {"token", "add", name, "--role", role, "--tokens-file", tokens_file_.string()});
        ASSERT_EQ(added.exit_code, 0) << "switchyard token add " << name << " failed";
        *token = trimmed(added.out);
        ASSERT_FALSE(token->empty());
    }
}

void AdminTest::TearDown() {
    ProxyTest::TearDown();
    if (HasFailure()) std::cerr << "test files in " << work_dir_ << "\n";
    if (proxy_) {
        proxy_->kill();
        proxy_->wait_exit(std::chrono::seconds(5));
    }
    if (!HasFailure() && std::getenv("SWITCHYARD_KEEP_TEST_DIRS") == nullptr) {
        std::error_code ignored;
        fs::remove_all(work_dir_, ignored);
    }
}

nlohmann::json AdminTest::admin_config(std::size_t max_body_bytes) const {
    auto config = base_config();
    config["flags"]["file"] = flag_file_.string();
    config["state_dir"] = state_dir_.string();
    config["admin"] = {{"address", "127.0.0.1:0"},
                       {"tokens_file", tokens_file_.string()},
                       {"max_body_bytes", max_body_bytes}};
    return config;
}

void AdminTest::launch_admin(const FlagDocument& flags, nlohmann::json config) {
    launch_admin(flags.json(), std::move(config));
}

void AdminTest::launch_admin(const std::string& flags, nlohmann::json config) {
    {
        std::ofstream out(flag_file_, std::ios::trunc);
        out << flags;
        ASSERT_TRUE(out.flush()) << "cannot write " << flag_file_;
    }
    config_ = config.is_null() ? admin_config() : std::move(config);
    ASSERT_NO_FATAL_FAILURE(launch(config_, flags));
    ASSERT_NO_FATAL_FAILURE(read_admin_port());
}

void AdminTest::kill_and_restart() {
    proxy_->kill();
    ASSERT_TRUE(proxy_->wait_exit(std::chrono::seconds(5)).has_value());
    // The proxy's own temp dir goes with it; the flag file and state_dir are this test's.
    ASSERT_NO_FATAL_FAILURE(launch(config_, "{}"));
    ASSERT_NO_FATAL_FAILURE(read_admin_port());
}

void AdminTest::read_admin_port() {
    const auto ready =
        nlohmann::json::parse(proxy_->read_file(ProxyProcess::kReadyFile), nullptr, false);
    ASSERT_TRUE(ready.is_object() && ready.contains("admin") && ready["admin"].is_string())
        << "the ready file names no admin address: " << proxy_->read_file(ProxyProcess::kReadyFile);
    const auto address = parse_listen_address(ready["admin"].get<std::string>());
    ASSERT_TRUE(address.has_value()) << ready.dump();
    ASSERT_EQ(address->host, "127.0.0.1");
    admin_port_ = address->port;
}

ClientResponse AdminTest::call(const std::string& method, const std::string& target,
                               const std::string& token, const std::string& body,
                               HeaderList headers) const {
    if (!token.empty()) headers.add("Authorization", "Bearer " + token);
    if (!body.empty()) headers.add("Content-Type", "application/json");
    return http_request(admin_port_, method, target, std::move(headers), body);
}

ClientResponse AdminTest::as_operator(const std::string& method, const std::string& target,
                                      const nlohmann::json& body, HeaderList headers) const {
    return call(method, target, operator_token_, body.is_null() ? std::string{} : body.dump(),
                std::move(headers));
}

ClientResponse AdminTest::as_viewer(const std::string& method, const std::string& target) const {
    return call(method, target, viewer_token_);
}

ClientResponse AdminTest::put_stage(const std::string& tenant, const std::string& stage,
                                    HeaderList headers) const {
    return as_operator("PUT", "/v1/tenants/" + tenant,
                       {{"stage", stage}, {"reason", "move " + tenant + " to " + stage}},
                       std::move(headers));
}

nlohmann::json AdminTest::json_of(const ClientResponse& response) {
    return nlohmann::json::parse(response.body, nullptr, false);
}

std::string AdminTest::error_of(const ClientResponse& response) {
    const auto body = json_of(response);
    if (!body.is_object() || !body.contains("error") || !body["error"].is_string()) return {};
    return body["error"].get<std::string>();
}

std::string AdminTest::side_of_tenant(const std::string& tenant, const std::string& method) const {
    const std::string body = method == "GET" || method == "HEAD" ? "" : "order=" + tenant;
    return side_of(http_request(port(), method, "/orders", {{"X-Tenant-Id", tenant}}, body));
}

bool AdminTest::routes_to(const std::string& tenant, const std::string& side) const {
    return wait_until([&] { return side_of_tenant(tenant) == side; }, kReloadBound * 5, 20ms);
}

void AdminTest::close_door(const std::string& tenant, const std::string& request_id) {
    const auto response =
        http_request(port(), "POST", "/orders",
                     {{"X-Tenant-Id", tenant}, {"X-Request-Id", request_id}}, "order=" + tenant);
    ASSERT_EQ(side_of(response), "new") << "the first write must reach new to close the door\n"
                                        << response.describe();
    ASSERT_TRUE(wait_until(
        [&] {
            const auto view = json_of(as_viewer("GET", "/v1/tenants/" + tenant));
            return view.is_object() && view["door"].value("closed", false);
        },
        5s, 10ms))
        << "the door of " << tenant << " never showed closed";
}

std::string AdminTest::flag_file_text() const { return slurp(flag_file_); }

nlohmann::json AdminTest::flag_file() const {
    return nlohmann::json::parse(flag_file_text(), nullptr, false);
}

std::string AdminTest::stage_on_disk(const std::string& tenant) const {
    const auto document = flag_file();
    if (!document.is_object() || !document.contains("tenants")) return {};
    const auto& tenants = document["tenants"];
    if (!tenants.contains(tenant)) return {};
    return tenants[tenant].value("stage", "");
}

std::vector<nlohmann::json> AdminTest::audit_lines() const {
    return json_lines(state_dir_ / "audit.jsonl");
}

std::vector<nlohmann::json> AdminTest::door_lines() const {
    return json_lines(state_dir_ / "doors.jsonl");
}

std::vector<fs::path> AdminTest::written_files() const {
    std::vector<fs::path> files;
    for (const auto& dir : {work_dir_, proxy_ ? proxy_->dir() : fs::path{}}) {
        std::error_code ec;
        if (dir.empty() || !fs::exists(dir, ec)) continue;
        for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
            if (entry.is_regular_file(ec)) files.push_back(entry.path());
        }
    }
    return files;
}

std::string AdminTest::add_token(const std::string& name, const std::string& role) const {
    const auto added = run_switchyard({"token", "add", name, "--role", role, "--config",
                                       (proxy_->dir() / ProxyProcess::kConfigFile).string()});
    EXPECT_EQ(added.exit_code, 0) << "switchyard token add " << name << " failed";
    return trimmed(added.out);
}

}  // namespace switchyard::test
