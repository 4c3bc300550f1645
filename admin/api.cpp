#include "admin/api.hpp"

#include <charconv>
#include <map>
#include <set>

#include "flags/percent.hpp"
#include "flags/tenant_id.hpp"
#include "routing/decide.hpp"

namespace switchyard::admin {

namespace {

using nlohmann::json;

constexpr std::size_t kDefaultListLimit = 1000;
constexpr std::size_t kMaxBatchChanges = 10000;

ApiResponse respond(const Outcome& outcome) {
    return {outcome.status, outcome.body.dump() + "\n", "application/json", outcome.etag};
}

ApiResponse error(unsigned status, std::string_view code, std::string message) {
    return respond(error_outcome(status, code, std::move(message)));
}

ApiResponse ok(const json& body, std::string etag = {}) {
    return {200, body.dump() + "\n", "application/json", std::move(etag)};
}

// "%41" → "A": tenant ids are plain, but a client may encode them anyway.
std::string percent_decode(std::string_view text, bool plus_is_space = false) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            unsigned value = 0;
            const auto [end, ec] =
                std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
            if (ec == std::errc{} && end == text.data() + i + 3) {
                out += static_cast<char>(value);
                i += 2;
                continue;
            }
        }
        out += plus_is_space && text[i] == '+' ? ' ' : text[i];
    }
    return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
    std::map<std::string, std::string> params;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        params[percent_decode(pair.substr(0, eq), true)] =
            eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1), true);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    }
    return params;
}

std::optional<std::size_t> parse_limit(const std::map<std::string, std::string>& query,
                                       std::size_t fallback, std::size_t max) {
    const auto it = query.find("limit");
    if (it == query.end()) return fallback;
    std::size_t value = 0;
    const auto [end, ec] =
        std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
    if (ec != std::errc{} || end != it->second.data() + it->second.size() || value == 0 ||
        value > max)
        return std::nullopt;
    return value;
}

// A request body: a JSON object with only `allowed` fields. Sets `problem` when it is not.
struct Body {
    json value;
    std::optional<ApiResponse> problem;
};

Body parse_body(std::string_view text, std::initializer_list<std::string_view> allowed) {
    Body body;
    body.value = json::parse(text.empty() ? std::string_view("{}") : text, nullptr, false);
    if (body.value.is_discarded()) {
        body.problem = error(400, "invalid_json", "the request body is not valid JSON");
        return body;
    }
    if (!body.value.is_object()) {
        body.problem = error(400, "invalid_json", "the request body must be a JSON object");
        return body;
    }
    for (const auto& [key, _] : body.value.items()) {
        bool known = false;
        for (auto field : allowed) known = known || field == key;
        if (!known) {
            body.problem = error(400, "unknown_field", "unknown field \"" + key + "\"");
            return body;
        }
    }
    return body;
}

// Reads an optional typed field; on a wrong type fills `problem`.
template <typename T>
std::optional<T> field(const json& object, const char* name, const char* type,
                       std::optional<ApiResponse>& problem) {
    const auto it = object.find(name);
    if (it == object.end() || it->is_null()) return std::nullopt;
    const bool right = std::is_same_v<T, bool>          ? it->is_boolean()
                       : std::is_same_v<T, std::string> ? it->is_string()
                                                        : it->is_number();
    if (!right) {
        problem = error(400, "invalid_field", std::string("\"") + name + "\" must be " + type);
        return std::nullopt;
    }
    return it->get<T>();
}

// A batch item's problem, its message prefixed with where it is ("changes[3]: …").
ApiResponse at_item(const std::string& where, const ApiResponse& problem) {
    const auto body = json::parse(problem.body);
    return error(problem.status, body.value("error", "invalid_field"),
                 where + ": " + body.value("message", ""));
}

struct Authorized {
    std::optional<Principal> principal;
    std::optional<ApiResponse> refusal;
};

Authorized authorize(const AdminServices& services, const ApiRequest& request, Role needed) {
    Authorized result;
    if (services.authenticate) result.principal = services.authenticate(request.authorization);
    if (!result.principal) {
        // Never echo the token: a wrong one may be a near miss of a real one.
        result.refusal =
            error(401, "unauthorized",
                  "send Authorization: Bearer <token> with a token from the tokens file");
    } else if (needed == Role::operator_ && result.principal->role != Role::operator_) {
        result.refusal = error(
            403, "forbidden",
            "token \"" + result.principal->name + "\" is a viewer; changes need an operator token");
    }
    return result;
}

std::optional<ApiResponse> check_tenant_id(const std::string& tenant) {
    if (const auto problem = flags::tenant_id_problem(tenant); !problem.empty()) {
        return error(400, "invalid_tenant", "tenant id \"" + tenant + "\" " + std::string(problem));
    }
    return std::nullopt;
}

// Reason and force, required on every change.
struct ChangeFields {
    std::string reason;
    bool force = false;
};

std::optional<ApiResponse> read_change_fields(const json& body, ChangeFields& fields) {
    std::optional<ApiResponse> problem;
    fields.reason = field<std::string>(body, "reason", "a string", problem).value_or("");
    fields.force = field<bool>(body, "force", "true or false", problem).value_or(false);
    if (problem) return problem;
    if (fields.reason.empty()) {
        return error(400, "reason_required",
                     "every change needs a \"reason\" (it goes to the audit log)");
    }
    return std::nullopt;
}

std::optional<Stage> read_stage(const json& body, std::optional<ApiResponse>& problem) {
    const auto text = field<std::string>(body, "stage", "a string", problem);
    if (problem) return std::nullopt;
    if (!text) {
        problem = error(400, "stage_required",
                        "\"stage\" is required: legacy, shadow, reads, new or final");
        return std::nullopt;
    }
    const auto stage = parse_stage(*text);
    if (!stage) {
        problem = error(400, "invalid_stage",
                        "unknown stage \"" + *text + "\": legacy, shadow, reads, new or final");
    }
    return stage;
}

ApiResponse put_tenant(const AdminServices& s, const ApiRequest& request, const Principal& who,
                       const std::string& tenant) {
    auto body = parse_body(request.body, {"stage", "reason", "force", "note"});
    if (body.problem) return *body.problem;
    std::optional<ApiResponse> problem;
    const auto stage = read_stage(body.value, problem);
    const auto note = field<std::string>(body.value, "note", "a string", problem);
    if (problem) return *problem;
    ChangeFields fields;
    if (auto p = read_change_fields(body.value, fields)) return *p;
    return respond(
        s.editor->change_tenants({{tenant, stage, note, {}}},
                                 {who, fields.reason, fields.force, std::string(request.if_match),
                                  std::string(request.request_id)},
                                 false));
}

ApiResponse delete_tenant(const AdminServices& s, const ApiRequest& request, const Principal& who,
                          const std::string& tenant,
                          const std::map<std::string, std::string>& query) {
    auto body = parse_body(request.body, {"reason", "force"});
    if (body.problem) return *body.problem;
    // DELETE bodies are unusual: reason and force may come as query parameters instead.
    if (!body.value.contains("reason") && query.count("reason"))
        body.value["reason"] = query.at("reason");
    if (!body.value.contains("force") && query.count("force"))
        body.value["force"] = query.at("force") == "true";
    ChangeFields fields;
    if (auto p = read_change_fields(body.value, fields)) return *p;
    const auto snapshot = s.snapshots->current();
    if (!snapshot->flags || !snapshot->flags->find(tenant)) {
        return error(404, "not_pinned", "tenant " + tenant + " has no entry of its own to remove");
    }
    return respond(
        s.editor->change_tenants({{tenant, std::nullopt, std::nullopt, {}}},
                                 {who, fields.reason, fields.force, std::string(request.if_match),
                                  std::string(request.request_id)},
                                 false));
}

ApiResponse batch(const AdminServices& s, const ApiRequest& request, const Principal& who) {
    if (!request.if_match.empty()) {
        return error(400, "if_match_on_batch",
                     "a batch has no single version: put each tenant's \"version\" in its change");
    }
    auto body = parse_body(request.body, {"changes", "reason", "force"});
    if (body.problem) return *body.problem;
    ChangeFields fields;
    if (auto p = read_change_fields(body.value, fields)) return *p;
    const auto changes_it = body.value.find("changes");
    if (changes_it == body.value.end() || !changes_it->is_array() || changes_it->empty()) {
        return error(400, "changes_required", "\"changes\" must be a non-empty array");
    }
    if (changes_it->size() > kMaxBatchChanges) {
        return error(413, "batch_too_large",
                     "at most " + std::to_string(kMaxBatchChanges) + " changes per batch");
    }
    std::vector<TenantChange> changes;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < changes_it->size(); ++i) {
        const auto& item = (*changes_it)[i];
        const auto where = "changes[" + std::to_string(i) + "]";
        auto parsed = parse_body(item.dump(), {"tenant", "stage", "unpin", "note", "version"});
        if (parsed.problem) return at_item(where, *parsed.problem);
        std::optional<ApiResponse> problem;
        const auto tenant = field<std::string>(item, "tenant", "a string", problem).value_or("");
        const bool unpin = field<bool>(item, "unpin", "true or false", problem).value_or(false);
        const auto note = field<std::string>(item, "note", "a string", problem);
        auto version = field<std::string>(item, "version", "a string", problem).value_or("");
        if (problem) return at_item(where, *problem);
        if (auto bad = check_tenant_id(tenant)) return at_item(where, *bad);
        if (!seen.insert(tenant).second)
            return error(400, "duplicate_tenant", where + ": tenant " + tenant + " appears twice");
        // The version as GET shows it; the quotes of the ETag form are optional here.
        if (!version.empty() && version.front() != '"') version = "\"" + version + "\"";
        std::optional<Stage> stage;
        if (!unpin) {
            stage = read_stage(item, problem);
            if (problem) return at_item(where, *problem);
        } else if (item.contains("stage")) {
            return error(400, "invalid_field",
                         where + ": give either \"stage\" or \"unpin\", not both");
        }
        changes.push_back({tenant, stage, note, std::move(version)});
    }
    return respond(s.editor->change_tenants(
        changes, {who, fields.reason, fields.force, {}, std::string(request.request_id)}, true));
}

ApiResponse put_rollout(const AdminServices& s, const ApiRequest& request, const Principal& who) {
    auto body = parse_body(request.body, {"stage", "percent", "salt", "reason", "force"});
    if (body.problem) return *body.problem;
    std::optional<ApiResponse> problem;
    const auto stage = read_stage(body.value, problem);
    const auto percent = field<double>(body.value, "percent", "a number", problem);
    const auto salt = field<std::string>(body.value, "salt", "a string", problem);
    if (problem) return *problem;
    if (!percent)
        return error(400, "percent_required", "\"percent\" is required (0 to 100, steps of 0.01)");
    const auto hundredths = flags::percent_to_hundredths(*percent);
    if (!hundredths)
        return error(400, "invalid_percent", "\"percent\" " + hundredths.error().message);
    ChangeFields fields;
    if (auto p = read_change_fields(body.value, fields)) return *p;
    if (fields.force) {
        // A rollout never moves a closed-door tenant back (it holds it), so there is nothing to
        // force; silently accepting "force" would suggest otherwise.
        return error(400, "force_not_applicable",
                     "a rollout change holds closed-door tenants on new and never needs force; "
                     "to move such a tenant back, PUT /v1/tenants/{id} with \"force\": true");
    }
    return respond(
        s.editor->change_rollout({*stage, *hundredths, salt},
                                 {who, fields.reason, fields.force, std::string(request.if_match),
                                  std::string(request.request_id)}));
}

ApiResponse list_tenants(const AdminServices& s, const std::map<std::string, std::string>& query) {
    const auto limit = parse_limit(query, kDefaultListLimit, 100000);
    if (!limit) return error(400, "invalid_limit", "limit must be a number from 1 to 100000");
    const std::string after = query.count("after") ? query.at("after") : "";
    const auto snapshot = s.snapshots->current();
    // Everyone with an entry of their own or a closed door: the tenants an operator acted on.
    std::set<std::string> ids;
    if (snapshot->flags) {
        snapshot->flags->tenants().for_each(
            [&](const flags::TenantFlag& flag) { ids.emplace(flag.id); });
    }
    if (snapshot->doors) {
        snapshot->doors->for_each([&](const flags::DoorClosing& door) { ids.insert(door.tenant); });
    }
    json tenants = json::array();
    std::string last;
    for (auto it = ids.upper_bound(after); it != ids.end() && tenants.size() < *limit; ++it) {
        tenants.push_back(s.editor->tenant_view(*it));
        last = *it;
    }
    const bool more = !last.empty() && ids.upper_bound(last) != ids.end();
    return ok(
        {{"tenants", tenants}, {"next", more ? json(last) : json(nullptr)}, {"total", ids.size()}});
}

ApiResponse audit(const AdminServices& s, const std::map<std::string, std::string>& query) {
    const auto limit = parse_limit(query, 100, 10000);
    if (!limit) return error(400, "invalid_limit", "limit must be a number from 1 to 10000");
    const std::string tenant = query.count("tenant") ? query.at("tenant") : "";
    auto entries = s.editor->recent_audit(*limit, tenant);
    if (!entries)
        return error(503, "audit_unavailable",
                     "the audit cannot be read: " + entries.error().message);
    return ok({{"entries", entries.value()}});
}

ApiResponse handle_v1(const AdminServices& s, const ApiRequest& request, std::string_view path,
                      const std::map<std::string, std::string>& query) {
    const bool reading = request.method == "GET" || request.method == "HEAD";
    const auto authorized = authorize(s, request, reading ? Role::viewer : Role::operator_);
    if (authorized.refusal) return *authorized.refusal;
    const auto& who = *authorized.principal;
    auto not_allowed = [&] {
        return error(405, "method_not_allowed",
                     std::string(request.method) + " is not allowed on " + std::string(path));
    };

    constexpr std::string_view kTenants = "/v1/tenants";
    constexpr std::string_view kOwner = "/v1/owner/";
    if (path == "/v1/tenants:batch")
        return request.method == "POST" ? batch(s, request, who) : not_allowed();
    if (path == kTenants) return reading ? list_tenants(s, query) : not_allowed();
    if (path.substr(0, kTenants.size() + 1) == "/v1/tenants/") {
        const auto tenant = percent_decode(path.substr(kTenants.size() + 1));
        if (auto bad = check_tenant_id(tenant)) return *bad;
        if (reading) return ok(s.editor->tenant_view(tenant), s.editor->tenant_etag(tenant));
        if (request.method == "PUT") return put_tenant(s, request, who, tenant);
        if (request.method == "DELETE") return delete_tenant(s, request, who, tenant, query);
        return not_allowed();
    }
    if (path.substr(0, kOwner.size()) == kOwner) {
        if (!reading) return not_allowed();
        const auto tenant = percent_decode(path.substr(kOwner.size()));
        if (auto bad = check_tenant_id(tenant)) return *bad;
        const auto stage = routing::resolve_tenant(*s.snapshots->current(), tenant).stage;
        return ok({{"tenant", tenant}, {"owner", to_string(owner_of_writes(stage))}});
    }
    if (path == "/v1/rollout") {
        if (reading) return ok(s.editor->rollout_view(), s.editor->rollout_etag());
        return request.method == "PUT" ? put_rollout(s, request, who) : not_allowed();
    }
    if (path == "/v1/audit") return reading ? audit(s, query) : not_allowed();
    if (path == "/v1/stats" && s.stats_json) {
        return reading ? ApiResponse{200, s.stats_json(), "application/json", {}} : not_allowed();
    }
    return error(404, "not_found", "no such endpoint: " + std::string(path));
}

}  // namespace

ApiResponse handle_admin_request(const AdminServices& services, const ApiRequest& request) {
    const auto question = request.target.find('?');
    const auto path = request.target.substr(0, question);
    const auto query =
        parse_query(question == std::string_view::npos ? std::string_view{}
                                                       : request.target.substr(question + 1));
    if (path == "/healthz") return ok({{"status", "ok"}});
    if (path == "/readyz") {
        auto readiness = services.readiness ? services.readiness() : json{{"ready", true}};
        const bool ready = readiness.value("ready", false);
        return {ready ? 200u : 503u, readiness.dump() + "\n", "application/json", {}};
    }
    if (path == "/metrics" && services.metrics_text) {
        return {200, services.metrics_text(), "text/plain; version=0.0.4; charset=utf-8", {}};
    }
    if (path.substr(0, 4) == "/v1/") return handle_v1(services, request, path, query);
    return error(404, "not_found", "no such endpoint: " + std::string(path));
}

}  // namespace switchyard::admin
