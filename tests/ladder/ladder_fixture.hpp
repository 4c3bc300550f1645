#pragma once
// The ladder scenarios (issue 4) on top of the integration fixture: a state_dir of the test's
// own, so the door journal outlives a killed proxy and a restart finds it; requests as a tenant;
// the journal as the origins and the test read it from disk.
#include <filesystem>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "proxy_fixture.hpp"

namespace switchyard::test {

// A flag document with the parts FlagDocument lacks: a default stage per test and "force".
struct LadderFlags {
    FlagDocument document;
    std::map<std::string, std::string> force;  // tenant -> the operator's reason

    LadderFlags& tenant(std::string id, std::string stage) {
        document.tenant(std::move(id), std::move(stage));
        return *this;
    }
    LadderFlags& rollout(std::string stage, int percent) {
        document.rollout_stage = std::move(stage);
        document.rollout_percent = percent;
        return *this;
    }
    LadderFlags& default_stage(std::string stage) {
        document.default_stage = std::move(stage);
        return *this;
    }
    LadderFlags& forcing(std::string id, std::string reason) {
        force[std::move(id)] = std::move(reason);
        return *this;
    }
    std::string json() const;
};

class LadderTest : public ProxyTest {
  protected:
    static constexpr const char* kInstance = "ladder-proxy-1";

    void SetUp() override;
    void TearDown() override;

    // base_config() with this test's state_dir (absolute, outside the proxy's temp dir) and
    // instance name; read_your_writes_ms only when given.
    nlohmann::json ladder_config(int read_your_writes_ms = -1) const;
    void launch_ladder(const LadderFlags& flags, int read_your_writes_ms = -1) {
        launch(ladder_config(read_your_writes_ms), flags.json());
    }
    // SIGKILL, reaped, then the same config and state_dir again with `flags`.
    void kill_and_restart(const LadderFlags& flags);

    // One request as `tenant` on a fresh connection; unsafe ones carry a small body.
    ClientResponse send(const std::string& method, const std::string& tenant,
                        const std::string& request_id = {}, const std::string& target = "/orders");
    // Sends until `tenant`'s GETs are answered by `side`: a flag edit took effect.
    bool reads_reach(const std::string& tenant, const std::string& side);

    std::filesystem::path journal_path() const { return state_dir_ / "doors.jsonl"; }
    // Every line of doors.jsonl, parsed (a line that is not JSON comes back discarded).
    std::vector<nlohmann::json> journal_lines() const;
    std::vector<nlohmann::json> journal_events(const std::string& event,
                                               const std::string& tenant) const;
    // Waits (bounded) until the proxy's log holds a line containing every needle.
    bool log_line_mentions(std::initializer_list<std::string> needles);
    // Requests of `tenant` with `method` that reached `origin`.
    static std::size_t received(const TestOrigin& origin, const std::string& tenant,
                                const std::string& method);

    std::filesystem::path state_dir_;

  private:
    std::string earlier_logs_;  // of proxies killed by kill_and_restart, for a failure message
};

// True when `lines` (doors.jsonl's text) holds a door_closed line for `tenant`.
bool journal_has_closing(const std::string& text, const std::string& tenant);

}  // namespace switchyard::test
