#pragma once
// The admin API scenarios (issue 5) on the integration fixture: the real binary with its admin
// listener on 127.0.0.1:0, tokens made by `switchyard token add`, and the flag file, the tokens
// file and state_dir in a directory of the test's own, so they outlive a killed proxy and a
// restart finds them. Each scenario asserts what the client got and the effect: the flag file,
// the audit log, the door journal, and which origin the proxied requests reach.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "proxy_fixture.hpp"

namespace switchyard::test {

// What `switchyard` printed and how it exited.
struct CommandResult {
    int exit_code = -1;
    std::string out;
};

// Runs the binary with `args` (no shell); stdout is captured, stderr goes to the test's.
CommandResult run_switchyard(const std::vector<std::string>& args);

class AdminTest : public ProxyTest {
  protected:
    static constexpr std::size_t kMaxBodyBytes = 4096;
    static constexpr const char* kOperator = "alice";
    static constexpr const char* kViewer = "victor";

    void SetUp() override;
    void TearDown() override;

    // base_config() with this test's flag file, tokens file and state_dir (absolute) and an
    // admin listener on 127.0.0.1:0.
    nlohmann::json admin_config(std::size_t max_body_bytes = kMaxBodyBytes) const;
    // Writes `flags` as the flag file and starts the proxy with `config` (null: admin_config());
    // call as ASSERT_NO_FATAL_FAILURE(…).
    void launch_admin(const FlagDocument& flags, nlohmann::json config = nullptr);
    void launch_admin(const std::string& flags, nlohmann::json config = nullptr);
    // SIGKILL, reaped, then the same config on the same files: what survives is on disk.
    void kill_and_restart();

    std::uint16_t admin_port() const { return admin_port_; }

    // One admin call on a fresh connection; `token` empty: no Authorization header.
    ClientResponse call(const std::string& method, const std::string& target,
                        const std::string& token, const std::string& body = {},
                        HeaderList headers = {}) const;
    ClientResponse as_operator(const std::string& method, const std::string& target,
                               const nlohmann::json& body = nullptr, HeaderList headers = {}) const;
    ClientResponse as_viewer(const std::string& method, const std::string& target) const;
    // PUT /v1/tenants/{tenant} {"stage", "reason"} as the operator.
    ClientResponse put_stage(const std::string& tenant, const std::string& stage,
                             HeaderList headers = {}) const;
    // The body as JSON; discarded (is_discarded()) when it is not JSON.
    static nlohmann::json json_of(const ClientResponse& response);
    // The "error" code of an error body, or "".
    static std::string error_of(const ClientResponse& response);

    // Which origin a request of `tenant` reaches through the proxy: "legacy", "new" or "".
    std::string side_of_tenant(const std::string& tenant, const std::string& method = "GET") const;
    // Polls (bounded) until `tenant`'s GETs reach `side`.
    bool routes_to(const std::string& tenant, const std::string& side) const;
    // Sends the first unsafe request of a `tenant` that routes to new, with `request_id`, and
    // waits until its door shows closed in the admin API.
    void close_door(const std::string& tenant, const std::string& request_id);

    std::string flag_file_text() const;
    nlohmann::json flag_file() const;
    // The stage of `tenant`'s own entry in the flag file on disk, or "" when it has none.
    std::string stage_on_disk(const std::string& tenant) const;
    std::vector<nlohmann::json> audit_lines() const;
    std::vector<nlohmann::json> door_lines() const;
    // Every file the proxy and this test wrote (logs, access log, state, flags), for a leak check.
    std::vector<std::filesystem::path> written_files() const;

    const std::string& operator_token() const { return operator_token_; }
    const std::string& viewer_token() const { return viewer_token_; }
    // `switchyard token add NAME --role ROLE --config <the running proxy's config>`.
    std::string add_token(const std::string& name, const std::string& role) const;

    std::filesystem::path work_dir_;
    std::filesystem::path flag_file_;
    std::filesystem::path tokens_file_;
    std::filesystem::path state_dir_;

  private:
    void read_admin_port();

    nlohmann::json config_;
    std::string operator_token_;
    std::string viewer_token_;
    std::uint16_t admin_port_ = 0;
};

}  // namespace switchyard::test
