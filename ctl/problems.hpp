#pragma once
// What went wrong, in plain words for whoever is on call: each admin API refusal explained with
// what it means and what to do next (the exact command, where there is one). Pure: the caller
// fetches what the explanation needs (the refused tenants' doors) and prints the text.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace switchyard::ctl {

// A tenant a 409 refused, parsed from the body's "refused" lines
// ("tenants.acme: cannot go back to legacy: door closed …").
struct DoorRefusal {
    std::string tenant;
    std::string to;  // the stage it would have gone back to; "" when the line does not say
};
std::vector<DoorRefusal> door_refusals(const nlohmann::json& body);

struct ProblemContext {
    std::string admin_url;
    bool token_given = false;
    std::string subject;         // "tenant acme", "the rollout": what a 412 is about
    std::string reread_command;  // "switchyard ctl tenants get acme": after a 412
    std::string force_command;   // the exact command that forces this change; "" if none
    std::map<std::string, nlohmann::json> tenant_views;  // refused tenants, by id (their doors)
};

// A non-2xx answer; `body` is its JSON ({"error", "message", …}) or null when it had none.
std::string explain_answer(unsigned status, const nlohmann::json& body,
                           const std::string& request_id, const ProblemContext& context);
// No answer at all: the URL and the step that failed.
std::string explain_unreachable(const std::string& admin_url, const std::string& error);

}  // namespace switchyard::ctl
