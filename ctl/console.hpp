#pragma once
// One CLI invocation's conversation with the admin API: sends a call, prints the answer (raw
// JSON with --json, a human view otherwise) or explains the failure, and says which exit code
// that is. Every command goes through show(), so every failure is explained the same way.
#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

#include "ctl/admin_client.hpp"
#include "ctl/exit_codes.hpp"
#include "ctl/problems.hpp"

namespace switchyard::ctl {

struct GlobalOptions {
    std::string server;        // the admin URL as given (flag, environment or default)
    bool server_flag = false;  // given with --server: repeated in commands we print
    std::string token;
    bool json = false;
    int timeout_ms = 10000;
};

using Render = std::function<std::string(const nlohmann::json&)>;

class Console {
  public:
    Console(AdminClient client, const GlobalOptions& options, std::ostream& out, std::ostream& err);

    // Sends `call`; on 2xx prints render(body) (or the body itself with --json) and returns ok;
    // otherwise prints what went wrong, in `context`'s terms, and returns its exit code.
    ExitCode show(const AdminCall& call, ProblemContext context, const Render& render);

    // "switchyard ctl [--server URL] WORDS…", shell-quoted: a command on-call can paste.
    std::string command(const std::vector<std::string>& words) const;

  private:
    // The views of the tenants a 409 refused: their doors make the explanation.
    void fetch_refused_views(const nlohmann::json& body, ProblemContext& context) const;

    AdminClient client_;
    const GlobalOptions& options_;
    std::ostream& out_;
    std::ostream& err_;
};

}  // namespace switchyard::ctl
