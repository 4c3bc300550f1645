#pragma once
// The exit codes of `switchyard ctl`: a contract with the scripts that call it, so each one
// means one thing an operator or a script can act on, and none is ever renumbered.
#include <string_view>

namespace switchyard::ctl {

enum class ExitCode : int {
    ok = 0,
    failure = 1,              // server error (5xx), an answer that is not what the API promises
    usage = 2,                // bad command line, missing --reason, unreadable batch file
    connection_failed = 3,    // nothing answered at the admin URL (refused, timeout, DNS)
    unauthorized = 4,         // 401 or 403: no token, a wrong one, or a viewer's change
    not_found = 5,            // 404
    refused_by_door = 6,      // 409 door_closed or final_tenant: the one-way door said no
    precondition_failed = 7,  // 412: someone changed it since --if-match's version
    client_error = 8,         // any other 4xx (bad input the server refused, other conflicts)
};

constexpr int to_int(ExitCode code) noexcept { return static_cast<int>(code); }

// What an HTTP answer means for the exit code; `error_code` is the body's "error" field.
ExitCode exit_code_for(unsigned status, std::string_view error_code) noexcept;

// The table for --help and the README.
std::string_view exit_code_help() noexcept;

}  // namespace switchyard::ctl
