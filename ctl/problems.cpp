#include "ctl/problems.hpp"

#include "ctl/text_util.hpp"

namespace switchyard::ctl {

namespace {

using nlohmann::json;

constexpr std::string_view kPrefix = "switchyard ctl: ";

std::string heading(unsigned status, const json& body) {
    const auto code = field_text(body, "error", "");
    return std::to_string(status) + (code.empty() ? "" : " " + code);
}

std::string server_message(const json& body) { return field_text(body, "message", "(no message)"); }

// "at 2026-…Z, when request r-1 (POST /orders on proxy-1) sent its first write to new"
std::string door_story(const std::string& tenant, const json& view) {
    const auto& door = member(view, "door");
    const auto& closed_ms = member(door, "closed_unix_ms");
    if (member(door, "closed") != true || !closed_ms.is_number_integer()) return {};
    const auto when = utc_time(closed_ms.get<std::int64_t>());
    std::string request = "request " + field_text(door, "request_id", "(unknown)");
    const auto method = field_text(door, "method", "");
    const auto instance = field_text(door, "instance", "");
    if (!method.empty() || !instance.empty()) {
        request += " (" + method + (method.empty() ? "" : " " + field_text(door, "path", "")) +
                   (instance.empty() ? "" : (method.empty() ? "on " : " on ") + instance) + ")";
    }
    return "  " + tenant + "'s one-way door closed at " + when + ",\n  by " + request +
           ",\n  its first write to the new side. Since then its writes have gone to new, and "
           "legacy\n  has never seen them (replication runs legacy → new only). Forcing the move "
           "would\n  lose, for " +
           tenant + ", every write it made on new since " + when + ".\n";
}

std::string explain_door(unsigned status, const json& body, const ProblemContext& context) {
    const auto refusals = door_refusals(body);
    std::vector<std::string> moves;
    for (const auto& refusal : refusals) {
        moves.push_back(refusal.tenant +
                        (refusal.to.empty() ? " off new" : " back to " + refusal.to));
    }
    std::string out = std::string(kPrefix) + "refused (" + heading(status, body) + "): moving " +
                      (moves.empty() ? std::string("this tenant back") : join(moves)) +
                      " would lose data.\n";
    bool told = !refusals.empty();
    for (const auto& refusal : refusals) {
        const auto view = context.tenant_views.find(refusal.tenant);
        const auto story = view == context.tenant_views.end()
                               ? std::string()
                               : door_story(refusal.tenant, view->second);
        told = told && !story.empty();
        out += story;
    }
    if (!told) out += "  server: " + server_message(body) + "\n";
    if (!context.force_command.empty()) {
        out +=
            "  If that loss is accepted, force it (the force and the reason are audited):\n    " +
            context.force_command + "\n";
    }
    return out;
}

std::string explain_unauthorized(unsigned status, const json& body, const ProblemContext& context) {
    auto how = [](std::string_view role) {
        return "  A token is made on the proxy's host with\n    switchyard token add NAME --role " +
               std::string(role) +
               " --config switchyard.json\n  which prints it once; pass it as SWITCHYARD_TOKEN=… "
               "(or "
               "--token, visible in ps).\n";
    };
    if (status == 403) {
        return std::string(kPrefix) + "forbidden (" + heading(status, body) +
               "): " + server_message(body) + "\n" + how("operator");
    }
    return std::string(kPrefix) + "unauthorized (" + heading(status, body) + "): " +
           (context.token_given
                ? "the admin API at " + context.admin_url + " does not know this token."
                : "no token given.") +
           "\n" + how("viewer|operator");
}

}  // namespace

std::vector<DoorRefusal> door_refusals(const json& body) {
    std::vector<DoorRefusal> out;
    std::vector<std::string> lines;
    const auto& refused = member(body, "refused");
    if (refused.is_array()) {
        for (const auto& line : refused) {
            if (line.is_string()) lines.push_back(line.get<std::string>());
        }
    }
    constexpr std::string_view kTenants = "tenants.";
    constexpr std::string_view kBack = ": cannot go back to ";
    constexpr std::string_view kFinal = ": is final";
    for (const auto& line : lines) {
        if (line.rfind(kTenants, 0) != 0) continue;
        if (const auto back = line.find(kBack); back != std::string::npos) {
            const auto stage_begin = back + kBack.size();
            const auto stage_end = line.find(':', stage_begin);
            out.push_back({line.substr(kTenants.size(), back - kTenants.size()),
                           line.substr(stage_begin, stage_end - stage_begin)});
        } else if (const auto final = line.find(kFinal); final != std::string::npos) {
            out.push_back({line.substr(kTenants.size(), final - kTenants.size()), ""});
        }
    }
    return out;
}

std::string explain_answer(unsigned status, const json& body, const std::string& request_id,
                           const ProblemContext& context) {
    const auto code = field_text(body, "error", "");
    if (status == 401 || status == 403) return explain_unauthorized(status, body, context);
    if (status == 409 && code == "door_closed") return explain_door(status, body, context);
    if (status == 409 && code == "final_tenant") {
        return std::string(kPrefix) + "refused (" + heading(status, body) +
               "): a final tenant never goes back: legacy no longer has its data, so nothing "
               "moves it, not even --force.\n  server: " +
               server_message(body) + "\n";
    }
    if (status == 412) {
        return std::string(kPrefix) + "precondition failed (" + heading(status, body) +
               "): " + (context.subject.empty() ? "it" : context.subject) +
               " changed\n  since you read it: someone else changed it after the version you gave "
               "--if-match.\n  Read it again" +
               (context.reread_command.empty() ? "" : " (" + context.reread_command + ")") +
               ", check your change still\n  makes sense, and retry with the new version.\n";
    }
    std::string what = status == 404                   ? "not found"
                       : status >= 400 && status < 500 ? "the server refused the request"
                                                       : "server error";
    std::string out = std::string(kPrefix) + what + " (" + heading(status, body) +
                      "): " + server_message(body) + "\n";
    if (status >= 500 && !request_id.empty()) {
        out += "  request id " + request_id + " (in the proxy's log)\n";
    }
    return out;
}

std::string explain_unreachable(const std::string& admin_url, const std::string& error) {
    return std::string(kPrefix) + "cannot reach the admin API at " + admin_url + ": " + error +
           "\n  Is switchyard running there, with an \"admin\" section in its config? Point at it "
           "with --server URL\n  or SWITCHYARD_ADMIN_URL (default http://127.0.0.1:9901).\n";
}

}  // namespace switchyard::ctl
