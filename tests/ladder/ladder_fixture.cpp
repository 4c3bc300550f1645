#include "ladder_fixture.hpp"

#include <cstdlib>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace switchyard::test {

namespace fs = std::filesystem;

std::string LadderFlags::json() const {
    auto parsed = nlohmann::json::parse(document.json());
    if (!force.empty()) parsed["force"] = force;
    return parsed.dump(2);
}

bool journal_has_closing(const std::string& text, const std::string& tenant) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        const auto entry = nlohmann::json::parse(line, nullptr, false);
        if (entry.is_object() && entry.value("event", "") == "door_closed" &&
            entry.value("tenant", "") == tenant) {
            return true;
        }
    }
    return false;
}

void LadderTest::SetUp() {
    std::string pattern = (fs::temp_directory_path() / "switchyard-ladder-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    state_dir_ = pattern;
}

void LadderTest::TearDown() {
    ProxyTest::TearDown();
    if (HasFailure()) {
        std::cerr << earlier_logs_ << "--- doors.jsonl ---\n"
                  << slurp(journal_path()) << "--- end ---\n";
    }
    // The proxy goes first: its journal lives in state_dir.
    proxy_.reset();
    if (std::getenv("SWITCHYARD_KEEP_TEST_DIRS") == nullptr) {
        std::error_code ignored;
        fs::remove_all(state_dir_, ignored);
    }
}

nlohmann::json LadderTest::ladder_config(int read_your_writes_ms) const {
    auto config = base_config();
    config["state_dir"] = state_dir_.string();
    config["instance"] = kInstance;
    if (read_your_writes_ms >= 0) config["read_your_writes_ms"] = read_your_writes_ms;
    return config;
}

void LadderTest::kill_and_restart(const LadderFlags& flags) {
    const auto config = nlohmann::json::parse(proxy().read_file(ProxyProcess::kConfigFile));
    proxy().kill();
    ASSERT_EQ(proxy().wait_exit(std::chrono::seconds(5)), 128 + SIGKILL) << proxy().describe();
    earlier_logs_ += "--- the killed proxy ---\n" + proxy().describe() + "\n";
    ASSERT_NO_FATAL_FAILURE(launch(config, flags.json()));
}

ClientResponse LadderTest::send(const std::string& method, const std::string& tenant,
                                const std::string& request_id, const std::string& target) {
    HeaderList headers{{"X-Tenant-Id", tenant}};
    if (!request_id.empty()) headers.add("X-Request-Id", request_id);
    const std::string body = method == "GET" || method == "HEAD" ? "" : "order=" + tenant;
    return http_request(port(), method, target, std::move(headers), body);
}

bool LadderTest::reads_reach(const std::string& tenant, const std::string& side) {
    return wait_until([&] { return side_of(send("GET", tenant)) == side; }, kReloadBound * 5, 20ms);
}

std::vector<nlohmann::json> LadderTest::journal_lines() const {
    std::vector<nlohmann::json> entries;
    std::istringstream lines(slurp(journal_path()));
    std::string line;
    while (std::getline(lines, line))
        entries.push_back(nlohmann::json::parse(line, nullptr, false));
    return entries;
}

std::vector<nlohmann::json> LadderTest::journal_events(const std::string& event,
                                                       const std::string& tenant) const {
    std::vector<nlohmann::json> matching;
    for (auto& entry : journal_lines()) {
        if (entry.is_object() && entry.value("event", "") == event &&
            entry.value("tenant", "") == tenant) {
            matching.push_back(std::move(entry));
        }
    }
    return matching;
}

bool LadderTest::log_line_mentions(std::initializer_list<std::string> needles) {
    return wait_until(
        [&] {
            std::istringstream lines(proxy_log());
            std::string line;
            while (std::getline(lines, line)) {
                bool all = true;
                for (const auto& needle : needles)
                    all = all && line.find(needle) != std::string::npos;
                if (all) return true;
            }
            return false;
        },
        5s, 20ms);
}

std::size_t LadderTest::received(const TestOrigin& origin, const std::string& tenant,
                                 const std::string& method) {
    std::size_t count = 0;
    for (const auto& request : origin.requests()) {
        count +=
            request.method == method && request.headers.value_or_empty("X-Tenant-Id") == tenant;
    }
    return count;
}

}  // namespace switchyard::test
