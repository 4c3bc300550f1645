#include "ctl/exit_codes.hpp"

namespace switchyard::ctl {

ExitCode exit_code_for(unsigned status, std::string_view error_code) noexcept {
    if (status >= 200 && status < 300) return ExitCode::ok;
    if (status == 401 || status == 403) return ExitCode::unauthorized;
    if (status == 404) return ExitCode::not_found;
    // A 409 for another reason (the flag file on disk is broken) is no door refusal: a script
    // that rolls back on 6 must not mistake it for one.
    if (status == 409) {
        return error_code == "door_closed" || error_code == "final_tenant"
                   ? ExitCode::refused_by_door
                   : ExitCode::client_error;
    }
    if (status == 412) return ExitCode::precondition_failed;
    if (status >= 400 && status < 500) return ExitCode::client_error;
    return ExitCode::failure;
}

std::string_view exit_code_help() noexcept {
    return "Exit codes:\n"
           "  0  ok\n"
           "  1  unexpected or server error (5xx, an answer that is not the API's)\n"
           "  2  usage error (bad arguments, missing --reason, unreadable batch file)\n"
           "  3  connection failed (nothing answered at the admin URL, or the DynamoDB table)\n"
           "  4  unauthorized or forbidden (401/403: no token, a wrong one, a viewer's change)\n"
           "  5  not found (404; a DynamoDB table that is not there)\n"
           "  6  refused by the one-way door or the final rule (409 door_closed/final_tenant)\n"
           "  7  precondition failed (412: changed since the --if-match version or the import "
           "began)\n"
           "  8  any other 4xx (the server refused the input; other 409s)\n";
}

}  // namespace switchyard::ctl
