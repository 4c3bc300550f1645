#include "ctl/commands.hpp"

#include <fstream>
#include <istream>
#include <ostream>
#include <sstream>

#include "ctl/audit_view.hpp"
#include "ctl/rollout_view.hpp"
#include "ctl/stats_view.hpp"
#include "ctl/tenant_view.hpp"
#include "ctl/text_util.hpp"

namespace switchyard::ctl {

namespace {

using nlohmann::json;

std::string tenant_path(const std::string& tenant) {
    return "/v1/tenants/" + percent_encode(tenant);
}

json change_body(const ChangeArgs& change) {
    json body{{"reason", change.reason}};
    if (change.force) body["force"] = true;
    return body;
}

// The same command again with --force: what a 409 tells on-call to run once the loss is accepted.
std::vector<std::string> with_force(std::vector<std::string> words, const ChangeArgs& change) {
    words.push_back("--reason");
    words.push_back(change.reason);
    words.push_back("--force");
    return words;
}

ProblemContext tenant_context(const Console& console, const std::string& tenant) {
    ProblemContext context;
    context.subject = "tenant " + tenant;
    context.reread_command = console.command({"tenants", "get", tenant});
    return context;
}

std::string query(const std::vector<std::pair<std::string, std::string>>& params) {
    std::string out;
    for (const auto& [key, value] : params) {
        if (value.empty()) continue;
        out += (out.empty() ? "?" : "&") + key + "=" + percent_encode(value);
    }
    return out;
}

std::string limit_text(std::size_t limit) { return limit == 0 ? "" : std::to_string(limit); }

}  // namespace

ExitCode tenants_list(Console& console, const ListArgs& args) {
    return console.show(
        {"GET",
         "/v1/tenants" + query({{"limit", limit_text(args.limit)}, {"after", args.after}}),
         {},
         {}},
        {}, tenant_list_text);
}

ExitCode tenants_get(Console& console, const std::string& tenant) {
    return console.show({"GET", tenant_path(tenant), {}, {}}, tenant_context(console, tenant),
                        tenant_text);
}

ExitCode tenants_set(Console& console, const SetArgs& args) {
    auto body = change_body(args.change);
    body["stage"] = args.stage;
    if (args.note) body["note"] = *args.note;
    auto context = tenant_context(console, args.tenant);
    if (!args.change.force) {
        std::vector<std::string> words{"tenants", "set", args.tenant, args.stage};
        if (args.note) words.insert(words.end(), {"--note", *args.note});
        context.force_command = console.command(with_force(words, args.change));
    }
    return console.show(
        {"PUT", tenant_path(args.tenant), body.dump(), etag_of_version(args.change.if_match)},
        std::move(context), tenant_change_text);
}

ExitCode tenants_unpin(Console& console, const UnpinArgs& args) {
    auto context = tenant_context(console, args.tenant);
    if (!args.change.force) {
        context.force_command =
            console.command(with_force({"tenants", "unpin", args.tenant}, args.change));
    }
    return console.show({"DELETE", tenant_path(args.tenant), change_body(args.change).dump(),
                         etag_of_version(args.change.if_match)},
                        std::move(context), tenant_change_text);
}

ExitCode tenants_batch(Console& console, const BatchArgs& args, std::istream& in,
                       std::ostream& err) {
    std::stringstream text;
    if (args.file == "-") {
        text << in.rdbuf();
    } else {
        std::ifstream file(args.file, std::ios::binary);
        if (!file) {
            err << "switchyard ctl: cannot read " << args.file << "\n";
            return ExitCode::usage;
        }
        text << file.rdbuf();
    }
    const auto where = args.file == "-" ? std::string("stdin") : args.file;
    auto changes = json::parse(text.str(), nullptr, false);
    if (changes.is_discarded() || !changes.is_array() || changes.empty()) {
        err << "switchyard ctl: " << where
            << ": expected a JSON array of changes, e.g.\n"
               "  [{\"tenant\": \"acme\", \"stage\": \"new\"}, {\"tenant\": \"globex\", \"unpin\": "
               "true}]\n";
        return ExitCode::usage;
    }
    auto body = change_body(args.change);
    body["changes"] = std::move(changes);
    ProblemContext context;
    if (!args.change.force) {
        context.force_command =
            console.command(with_force({"tenants", "batch", args.file}, args.change));
        if (args.file == "-") context.force_command += "  # the same changes on stdin";
    }
    return console.show({"POST", "/v1/tenants:batch", body.dump(), {}}, std::move(context),
                        batch_text);
}

ExitCode rollout_get(Console& console) {
    ProblemContext context;
    return console.show({"GET", "/v1/rollout", {}, {}}, context, rollout_text);
}

ExitCode rollout_set(Console& console, const RolloutArgs& args) {
    auto body = change_body(args.change);
    body["stage"] = args.stage;
    body["percent"] = args.percent;
    if (args.salt) body["salt"] = *args.salt;
    ProblemContext context;
    context.subject = "the rollout";
    context.reread_command = console.command({"rollout", "get"});
    return console.show({"PUT", "/v1/rollout", body.dump(), etag_of_version(args.change.if_match)},
                        std::move(context), rollout_change_text);
}

ExitCode owner(Console& console, const std::string& tenant, bool quiet) {
    return console.show({"GET", "/v1/owner/" + percent_encode(tenant), {}, {}},
                        tenant_context(console, tenant),
                        [quiet](const json& body) { return owner_text(body, quiet); });
}

ExitCode audit(Console& console, const AuditArgs& args) {
    return console.show(
        {"GET",
         "/v1/audit" + query({{"limit", limit_text(args.limit)}, {"tenant", args.tenant}}),
         {},
         {}},
        {}, audit_text);
}

ExitCode stats(Console& console) {
    return console.show({"GET", "/v1/stats", {}, {}}, {}, stats_text);
}

}  // namespace switchyard::ctl
