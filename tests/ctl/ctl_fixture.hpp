#pragma once
// Every CLI scenario: the real switchyard with an admin listener and a tokens file (tokens made
// by `switchyard token add`, as an operator would), its two loopback origins, and
// `switchyard ctl` run as a separate process against it.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "golden.hpp"
#include "proxy_fixture.hpp"
#include "subprocess.hpp"

namespace switchyard::test {

class CtlTest : public ProxyTest {
  protected:
    void SetUp() override;
    void TearDown() override;

    // Creates the tokens, starts switchyard with `flags` and an admin listener on port 0.
    // Call as ASSERT_NO_FATAL_FAILURE(start(...)).
    void start(const FlagDocument& flags);

    // `switchyard ctl ARGS` with SWITCHYARD_ADMIN_URL set to this proxy and SWITCHYARD_TOKEN
    // to `token` (none when empty); `environment` adds or overrides variables.
    ProcessResult ctl(const std::vector<std::string>& args, const std::string& token,
                      std::map<std::string, std::string> environment = {},
                      const std::string& stdin_text = {});
    ProcessResult as_operator(const std::vector<std::string>& args) {
        return ctl(args, operator_token_);
    }
    ProcessResult as_viewer(const std::vector<std::string>& args) {
        return ctl(args, viewer_token_);
    }

    // Runs as the operator, compares with golden/NAME.txt, and checks the exit code.
    void expect_ctl_golden(const std::string& name, const std::vector<std::string>& args,
                           int expected_exit, const GoldenOptions& options = {});
    void expect_golden_run(const std::string& name, const std::vector<std::string>& args,
                           const ProcessResult& result, int expected_exit,
                           const GoldenOptions& options = {});

    // A write through the proxy for a tenant on `new`: closes its one-way door (the request id
    // is fixed, so golden files can show it). Waits until the admin API shows the door closed.
    void close_door(const std::string& tenant);
    // The tenant's view from `tenants get --json`.
    nlohmann::json tenant_json(const std::string& tenant);

    std::string admin_url() const { return admin_url_; }
    std::filesystem::path scratch() const { return scratch_; }  // for batch files
    std::string operator_token_;
    std::string viewer_token_;

  private:
    std::string admin_url_;
    std::filesystem::path scratch_;
};

}  // namespace switchyard::test
