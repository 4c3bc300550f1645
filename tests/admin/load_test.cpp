// The admin API under request load (issue 5): 1,000 admin calls, reads and changes mixed, while
// wrk drives tenant traffic through the proxy. No proxied request may fail and every admin call
// must answer. Latency is not asserted: shared machines are noisy.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <regex>
#include <thread>

#include "admin_fixture.hpp"

extern char** environ;

namespace switchyard::test {
namespace {

using nlohmann::json;

constexpr int kLoadTenants = 8;
constexpr int kAdminCalls = 1000;
// An upper bound only: the load is stopped as soon as the admin calls are done.
constexpr int kLoadSecondsAtMost = 300;

std::string load_tenant(int i) { return "load-" + std::to_string(i % kLoadTenants); }

// Traffic through the proxy until stop(); then what failed, if anything.
class Load {
  public:
    virtual ~Load() = default;
    virtual void stop() = 0;
    virtual std::uint64_t requests() const = 0;
    // Empty when no request failed; otherwise what the load tool said.
    virtual std::string failures() const = 0;
};

std::string find_on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    for (std::size_t start = 0; start <= dirs.size();) {
        const auto end = std::min(dirs.find(':', start), dirs.size());
        const auto candidate = dirs.substr(start, end - start) + "/" + program;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        start = end + 1;
    }
    return {};
}

// wrk, one thread, 16 connections, a Lua script cycling X-Tenant-Id over the load tenants.
class WrkLoad : public Load {
  public:
    WrkLoad(const std::string& wrk, const std::filesystem::path& dir, std::uint16_t port)
        : output_(dir / "wrk.out") {
        const auto script = dir / "tenants.lua";
        std::ofstream lua(script);
        lua << "local i = 0\n"
               "request = function()\n"
               "  i = i + 1\n"
               "  return wrk.format('GET', '/orders', {['X-Tenant-Id'] = 'load-' .. (i % "
            << kLoadTenants
            << ")})\n"
               "end\n"
               // A small pause per request keeps the origins' recordings and the access log
               // modest; the proxy still sees thousands of requests a second.
               "delay = function() return 1 end\n";
        lua.close();
        std::vector<std::string> args{wrk,
                                      "-t1",
                                      "-c16",
                                      "-d" + std::to_string(kLoadSecondsAtMost) + "s",
                                      "--timeout",
                                      "10s",
                                      "-s",
                                      script.string(),
                                      "http://127.0.0.1:" + std::to_string(port) + "/"};
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_.c_str(),
                                         O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
        posix_spawn_file_actions_destroy(&actions);
    }
    ~WrkLoad() override { stop(); }

    bool started() const { return pid_ > 0; }

    void stop() override {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGINT);  // wrk stops and prints its summary
        int status = 0;
        const bool exited = wait_until([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; },
                                       std::chrono::seconds(15), std::chrono::milliseconds(20));
        if (!exited) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
        }
        pid_ = -1;
        summary_ = slurp(output_);
    }

    std::uint64_t requests() const override {
        std::smatch match;
        if (!std::regex_search(summary_, match, std::regex(R"((\d+) requests in)"))) return 0;
        return std::stoull(match[1]);
    }

    std::string failures() const override {
        std::string problems;
        if (summary_.find("Non-2xx or 3xx responses") != std::string::npos) {
            problems += "non-2xx answers; ";
        }
        std::smatch match;
        if (std::regex_search(
                summary_, match,
                std::regex(R"(Socket errors: connect (\d+), read (\d+), write (\d+), )"
                           R"(timeout (\d+))")) &&
            (match[1] != "0" || match[2] != "0" || match[3] != "0" || match[4] != "0")) {
            problems += "socket errors; ";
        }
        if (requests() == 0) problems += "no request at all; ";
        return problems.empty() ? problems : problems + "wrk said:\n" + summary_;
    }

  private:
    std::filesystem::path output_;
    pid_t pid_ = -1;
    std::string summary_;
};

// Without wrk: a few client threads in this process, each on a keep-alive connection.
class ThreadLoad : public Load {
  public:
    explicit ThreadLoad(std::uint16_t port) {
        for (int t = 0; t < 4; ++t) {
            threads_.emplace_back([this, port, t] {
                HttpClient client(port);
                const auto deadline =
                    std::chrono::steady_clock::now() + std::chrono::seconds(kLoadSecondsAtMost);
                for (int i = t; !stopping_ && std::chrono::steady_clock::now() < deadline; ++i) {
                    const auto response = client.request(
                        ClientRequest::make("GET", "/orders", {{"X-Tenant-Id", load_tenant(i)}}));
                    ++requests_;
                    if (!response.ok() || response.status != 200) {
                        std::lock_guard lock(mutex_);
                        if (failures_.size() < 2000) failures_ += response.describe() + "\n";
                    }
                }
            });
        }
    }
    ~ThreadLoad() override { stop(); }

    void stop() override {
        stopping_ = true;
        for (auto& thread : threads_) {
            if (thread.joinable()) thread.join();
        }
    }
    std::uint64_t requests() const override { return requests_; }
    std::string failures() const override {
        std::lock_guard lock(mutex_);
        return requests_ == 0 ? "no request at all" : failures_;
    }

  private:
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> requests_{0};
    mutable std::mutex mutex_;
    std::string failures_;
    std::vector<std::thread> threads_;
};

class AdminUnderLoad : public AdminTest {};

TEST_F(AdminUnderLoad, ThousandAdminCallsAnswerWhileProxiedRequestsAllSucceed) {
    auto config = admin_config();
    config["access_log"]["enabled"] = false;  // hundreds of thousands of lines say nothing here
    FlagDocument flags;
    for (int i = 0; i < kLoadTenants; ++i) flags.tenant(load_tenant(i), "legacy");
    ASSERT_NO_FATAL_FAILURE(launch_admin(flags, config));

    std::unique_ptr<Load> load;
    if (const auto wrk = find_on_path("wrk"); !wrk.empty()) {
        auto wrk_load = std::make_unique<WrkLoad>(wrk, work_dir_, port());
        ASSERT_TRUE(wrk_load->started()) << "cannot start " << wrk;
        load = std::move(wrk_load);
    } else {
        load = std::make_unique<ThreadLoad>(port());
    }
    ASSERT_TRUE(wait_until([&] { return legacy_.request_count() > 0; }, 10s))
        << "no load reached the proxy";

    static const char* const kStages[] = {"shadow", "reads", "new", "legacy"};
    std::size_t origin_requests = 0;
    int unanswered = 0, puts = 0;
    for (int call_index = 0; call_index < kAdminCalls; ++call_index) {
        const auto tenant = load_tenant(call_index);
        ClientResponse response;
        switch (call_index % 8) {
            case 0:
            case 4:  // every load tenant in turn, each through the stages
                response = put_stage(load_tenant(call_index / 4), kStages[(call_index / 32) % 4]);
                ++puts;
                break;
            case 1:
                response = as_viewer("GET", "/v1/tenants/" + tenant);
                break;
            case 2:
                response = as_viewer("GET", "/v1/owner/" + tenant);
                break;
            case 3:
                response = as_viewer("GET", "/v1/tenants?limit=4");
                break;
            case 5:
                response = as_viewer("GET", "/v1/rollout");
                break;
            case 6:
                response = as_viewer("GET", "/v1/audit?limit=5&tenant=" + tenant);
                break;
            default:
                response = call("GET", "/readyz", "");
                break;
        }
        if (response.status != 200) {
            ++unanswered;
            ADD_FAILURE() << "admin call " << call_index << ": " << response.describe();
            if (unanswered > 10) break;
        }
        if (call_index % 100 == 99) {  // keep the origins' recordings small
            origin_requests += legacy_.request_count() + new_.request_count();
            legacy_.clear_requests();
            new_.clear_requests();
        }
    }
    load->stop();
    origin_requests += legacy_.request_count() + new_.request_count();

    EXPECT_EQ(unanswered, 0);
    EXPECT_EQ(load->failures(), "");
    EXPECT_GT(load->requests(), 0u);
    EXPECT_GT(origin_requests, 0u);
    EXPECT_EQ(audit_lines().size(), static_cast<std::size_t>(puts));
    EXPECT_TRUE(proxy().running());
}

}  // namespace
}  // namespace switchyard::test
