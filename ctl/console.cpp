#include "ctl/console.hpp"

#include <ostream>

#include "ctl/text_util.hpp"

namespace switchyard::ctl {

namespace {

using nlohmann::json;

// Enough for any batch a human reads; the rest are named in the server's message.
constexpr std::size_t kMaxDoorsExplained = 10;

std::string first_bytes(const std::string& text, std::size_t limit = 200) {
    return text.size() <= limit ? text : text.substr(0, limit) + "…";
}

}  // namespace

Console::Console(AdminClient client, const GlobalOptions& options, std::ostream& out,
                 std::ostream& err)
    : client_(std::move(client)), options_(options), out_(out), err_(err) {}

std::string Console::command(const std::vector<std::string>& words) const {
    std::vector<std::string> all{"switchyard", "ctl"};
    if (options_.server_flag) {
        all.push_back("--server");
        all.push_back(options_.server);
    }
    all.insert(all.end(), words.begin(), words.end());
    for (auto& word : all) word = shell_quote(word);
    return join(all, " ");
}

void Console::fetch_refused_views(const json& body, ProblemContext& context) const {
    // The 409 carries each closed door; an older server only names the tenants: ask for them.
    if (const auto& doors = member(body, "doors"); doors.is_array()) {
        for (const auto& door : doors) {
            auto closed = door;
            closed["closed"] = true;
            context.tenant_views[field_text(door, "tenant", "")] = json{{"door", closed}};
        }
        return;
    }
    std::size_t fetched = 0;
    for (const auto& refusal : door_refusals(body)) {
        if (fetched++ == kMaxDoorsExplained) break;
        auto answer =
            client_.call({"GET", "/v1/tenants/" + percent_encode(refusal.tenant), {}, {}});
        if (!answer || answer->status != 200) continue;
        auto view = json::parse(answer->body, nullptr, false);
        if (view.is_object()) context.tenant_views[refusal.tenant] = std::move(view);
    }
}

ExitCode Console::show(const AdminCall& call, ProblemContext context, const Render& render) {
    const auto url = client_.url().text();
    auto answer = client_.call(call);
    if (!answer) {
        err_ << explain_unreachable(url, answer.error().message);
        return ExitCode::connection_failed;
    }
    auto body = json::parse(answer->body, nullptr, false);
    if (body.is_discarded()) body = nullptr;
    const auto code = exit_code_for(answer->status, field_text(body, "error", ""));
    if (code == ExitCode::ok) {
        if (!body.is_object()) {
            err_ << "switchyard ctl: unexpected answer from " << url << call.target << ": status "
                 << answer->status << " but no JSON object: " << first_bytes(answer->body) << "\n";
            return ExitCode::failure;
        }
        if (options_.json) {
            out_ << answer->body;
            if (!answer->body.empty() && answer->body.back() != '\n') out_ << '\n';
        } else {
            out_ << render(body);
        }
        return code;
    }
    // Scripts with --json still get the API's own error document on stdout.
    if (options_.json && body.is_object()) out_ << body.dump() << '\n';
    context.admin_url = url;
    context.token_given = client_.has_token();
    if (code == ExitCode::refused_by_door) fetch_refused_views(body, context);
    err_ << explain_answer(answer->status, body, answer->request_id, context);
    return code;
}

}  // namespace switchyard::ctl
