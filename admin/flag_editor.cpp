#include "admin/flag_editor.hpp"

#include <set>

#include "flags/door_journal.hpp"  // unix_now_ms
#include "flags/door_rule.hpp"
#include "flags/flag_document.hpp"
#include "routing/decide.hpp"

namespace switchyard::admin {

namespace {

constexpr unsigned kStatusRetry = 0;  // the store changed under us: start again from it
constexpr int kAttempts = 5;

nlohmann::json entry_json(const flags::EditableEntry* entry) {
    if (!entry) return nullptr;
    nlohmann::json json{{"stage", to_string(entry->stage)}};
    if (!entry->note.empty()) json["note"] = entry->note;
    return json;
}

nlohmann::json rollout_json(const flags::EditableRollout& rollout) {
    return {{"stage", to_string(rollout.stage)},
            {"percent", rollout.percent_hundredths / 100.0},
            {"salt", rollout.salt}};
}

const flags::EditableEntry* find_entry(const flags::EditableDocument& document,
                                       std::string_view tenant) {
    const auto it = document.tenants.find(std::string(tenant));
    return it == document.tenants.end() ? nullptr : &it->second;
}

nlohmann::json door_json(const flags::DoorClosing& door) {
    return {{"tenant", door.tenant},
            {"closed_unix_ms", door.unix_ms},
            {"request_id", door.request_id},
            {"instance", door.instance},
            {"method", door.method},
            {"path", door.path},
            {"description", flags::describe_door(door)}};
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

Outcome precondition_failed(const std::string& what) {
    return error_outcome(412, "precondition_failed",
                         what +
                             " changed since you read it (its version no longer matches); "
                             "read it again and retry");
}

}  // namespace

Outcome error_outcome(unsigned status, std::string_view code, std::string message) {
    return {status, {{"error", code}, {"message", std::move(message)}}, {}};
}

bool if_match_allows(std::string_view if_match, std::string_view current) {
    if (trim(if_match) == "*") return true;
    while (!if_match.empty()) {
        const auto comma = if_match.find(',');
        // Weak tags (W/"…") never match: If-Match compares strongly.
        if (trim(if_match.substr(0, comma)) == current) return true;
        if (comma == std::string_view::npos) break;
        if_match.remove_prefix(comma + 1);
    }
    return false;
}

FlagEditor::FlagEditor(FlagStore& store, routing::SnapshotStore& snapshots, std::mutex& write_mutex,
                       const routing::SeenTenants* seen)
    : store_(store), snapshots_(snapshots), mutex_(write_mutex), seen_(seen) {}

template <typename Attempt>
Outcome FlagEditor::with_retries(Attempt attempt) {
    for (int i = 0; i < kAttempts; ++i) {
        auto outcome = attempt();
        if (outcome.status != kStatusRetry) return outcome;
    }
    return error_outcome(409, "flags_busy",
                         "the " + store_.describe() +
                             " kept changing while this change was applied; nothing was "
                             "written, retry");
}

Outcome FlagEditor::change_tenants(const std::vector<TenantChange>& changes,
                                   const ChangeContext& context, bool batch) {
    std::lock_guard lock(mutex_);
    return with_retries([&] { return change_tenants_once(changes, context, batch); });
}

Outcome FlagEditor::change_rollout(const RolloutChange& change, const ChangeContext& context) {
    std::lock_guard lock(mutex_);
    return with_retries([&] { return change_rollout_once(change, context); });
}

Result<flags::EditableDocument, Outcome> FlagEditor::read_store() const {
    auto stored = store_.read();
    if (stored) return std::move(stored.value());
    if (stored.error().unavailable) {
        return error_outcome(503, "store_unavailable",
                             "nothing was changed: the " + store_.describe() +
                                 " cannot be read: " + stored.error().message);
    }
    return error_outcome(
        409, "flags_invalid",
        "the " + store_.describe() + " does not load, fix it first: " + stored.error().message);
}

Outcome FlagEditor::commit(const flags::EditableDocument& changed, std::vector<std::string> tenants,
                           bool rollout, std::vector<AuditEntry> audit,
                           const ChangeContext& context) {
    auto after = flags::parse_flag_document(changed.render());
    if (!after)
        return error_outcome(500, "internal",
                             "the changed document does not parse: " + after.error().message);

    // Checked against what is routing now: that is what a rollback would undo.
    const auto running = snapshots_.current();
    const auto& doors = running->doors ? *running->doors : flags::DoorSet{};
    const auto report = flags::check_transition(running->flags.get(), **after, doors,
                                                [&](std::string_view tenant) -> std::string_view {
                                                    if (!context.force) return {};
                                                    for (const auto& touched : tenants) {
                                                        if (touched == tenant)
                                                            return context.reason;
                                                    }
                                                    return {};
                                                });
    if (!report.accepted()) {
        const bool final_rule = report.refused.front().find("final") != std::string::npos &&
                                report.refused.front().find("door closed") == std::string::npos;
        std::string message;
        for (const auto& line : report.refused) message += (message.empty() ? "" : "; ") + line;
        if (!final_rule && !context.force) {
            message += ". To accept that loss, retry with \"force\": true (the reason is audited).";
        }
        Outcome refused = error_outcome(409, final_rule ? "final_tenant" : "door_closed", message);
        refused.body["refused"] = report.refused;
        nlohmann::json closed = nlohmann::json::array();
        for (const auto& tenant : tenants) {
            if (const auto* door = doors.find(tenant)) closed.push_back(door_json(*door));
        }
        refused.body["doors"] = closed;
        refused.body["can_force"] = !final_rule;
        return refused;
    }
    auto forced = report.forced;
    for (auto& move : forced) move.by = context.principal.name;
    const auto committed =
        store_.commit({changed, std::move(tenants), rollout, std::move(audit), forced});
    switch (committed.status) {
        case CommitStatus::changed_since_read:
            return {kStatusRetry, {}, {}};
        case CommitStatus::unavailable:
            return error_outcome(503, "store_unavailable",
                                 "nothing was changed: the " + store_.describe() +
                                     " cannot be written: " + committed.message);
        case CommitStatus::unaudited:
            // The change is durable and will route; say so rather than pretend it failed.
            snapshots_.update_flags(after.value());
            return error_outcome(
                503, "audit_unavailable",
                "the change was applied but could not be audited: " + committed.message);
        case CommitStatus::committed:
            break;
    }
    if (!committed.published) snapshots_.update_flags(after.value());
    Outcome outcome;
    outcome.body["held"] = report.held;
    nlohmann::json forced_tenants = nlohmann::json::array();
    for (const auto& move : forced) forced_tenants.push_back(move.tenant);
    outcome.body["forced"] = forced_tenants;
    return outcome;
}

Outcome FlagEditor::change_tenants_once(const std::vector<TenantChange>& changes,
                                        const ChangeContext& context, bool batch) {
    auto stored = read_store();
    if (!stored) return stored.error();
    const auto& before_document = stored.value();
    for (std::size_t i = 0; i < changes.size(); ++i) {
        const auto& change = changes[i];
        if (!change.stage && !find_entry(before_document, change.tenant)) {
            return error_outcome(404, "not_pinned",
                                 (batch ? "changes[" + std::to_string(i) + "]: " : std::string()) +
                                     "tenant " + change.tenant +
                                     " has no entry of its own to remove");
        }
    }
    for (const auto& change : changes) {
        const auto& wanted = batch ? change.if_match : context.if_match;
        if (wanted.empty()) continue;
        const auto version =
            store_.tenant_version(change.tenant, find_entry(before_document, change.tenant));
        if (!if_match_allows(wanted, version))
            return precondition_failed("tenant " + change.tenant);
    }
    auto changed = before_document;
    std::vector<AuditEntry> audit;
    std::vector<std::string> touched;
    const auto now = flags::unix_now_ms();
    for (const auto& change : changes) {
        const auto* before = find_entry(changed, change.tenant);
        AuditEntry entry{now,
                         context.principal.name,
                         change.stage ? "set_tenant" : "unpin_tenant",
                         change.tenant,
                         entry_json(before),
                         nullptr,
                         context.reason,
                         context.force,
                         context.request_id};
        if (change.stage) {
            flags::EditableEntry next{*change.stage, before ? before->note : std::string{}};
            if (change.note) next.note = *change.note;
            changed.tenants[change.tenant] = next;
        } else {
            changed.tenants.erase(change.tenant);
        }
        entry.after = entry_json(find_entry(changed, change.tenant));
        audit.push_back(std::move(entry));
        touched.push_back(change.tenant);
    }
    auto outcome = commit(changed, std::move(touched), false, std::move(audit), context);
    if (outcome.status != 200) return outcome;
    nlohmann::json results = nlohmann::json::array();
    for (const auto& change : changes) results.push_back(tenant_view(change.tenant));
    outcome.body[batch ? "tenants" : "tenant"] = batch ? results : results.front();
    if (!batch) {
        const auto& tenant = changes.front().tenant;
        outcome.body["before"] = entry_json(find_entry(before_document, tenant));
        outcome.body["after"] = entry_json(find_entry(changed, tenant));
        outcome.etag = store_.tenant_version(tenant, find_entry(changed, tenant));
    }
    return outcome;
}

Outcome FlagEditor::change_rollout_once(const RolloutChange& change, const ChangeContext& context) {
    auto stored = read_store();
    if (!stored) return stored.error();
    const auto& before = stored.value();
    if (!context.if_match.empty() &&
        !if_match_allows(context.if_match, store_.rollout_version(before.rollout))) {
        return precondition_failed("the rollout");
    }
    auto changed = before;
    changed.rollout = {change.stage, change.percent_hundredths,
                       change.salt.value_or(before.rollout.salt), true};
    AuditEntry entry{flags::unix_now_ms(),
                     context.principal.name,
                     "set_rollout",
                     "",
                     rollout_json(before.rollout),
                     rollout_json(changed.rollout),
                     context.reason,
                     context.force,
                     context.request_id};
    const auto routing_before = snapshots_.current();
    auto outcome = commit(changed, {}, true, {std::move(entry)}, context);
    if (outcome.status != 200) return outcome;
    outcome.body["moved"] = moved_tenants(*routing_before, *snapshots_.current());
    outcome.body["rollout"] = rollout_view();
    outcome.body["before"] = rollout_json(before.rollout);
    outcome.etag = store_.rollout_version(changed.rollout);
    return outcome;
}

nlohmann::json FlagEditor::moved_tenants(const routing::Snapshot& before,
                                         const routing::Snapshot& after) const {
    // Only tenants without an entry follow the rollout, and the proxy knows those only from
    // traffic: the ones this instance has routed since it started.
    constexpr std::size_t kListed = 1000;
    const auto known = seen_ ? seen_->list() : routing::SeenTenants::Listing{{}, false};
    nlohmann::json listed = nlohmann::json::array();
    std::size_t count = 0;
    for (const auto& tenant : known.tenants) {
        const auto from = routing::resolve_tenant(before, tenant).stage;
        const auto to = routing::resolve_tenant(after, tenant).stage;
        if (from == to) continue;
        if (++count <= kListed) {
            listed.push_back(
                {{"tenant", tenant}, {"from", to_string(from)}, {"to", to_string(to)}});
        }
    }
    return {{"tenants", listed},
            {"count", count},
            {"listed", std::min(count, kListed)},
            {"known_tenants", known.tenants.size()},
            {"known_complete", known.complete},
            {"note",
             "only tenants this instance has routed since it started can be named; the "
             "others in the cohort move by the same rule"}};
}

nlohmann::json FlagEditor::tenant_view(std::string_view tenant) const {
    const auto snapshot = snapshots_.current();
    const auto resolution = routing::resolve_tenant(*snapshot, tenant);
    nlohmann::json view{{"tenant", tenant},
                        {"stage", to_string(resolution.stage)},
                        {"why", to_string(resolution.why)},
                        {"owner", to_string(owner_of_writes(resolution.stage))}};
    std::optional<flags::TenantFlag> entry;
    if (snapshot->flags) entry = snapshot->flags->find(tenant);
    if (entry) {
        view["entry"] = {{"stage", to_string(entry->stage)}};
        if (!entry->note.empty()) view["entry"]["note"] = entry->note;
    } else {
        view["entry"] = nullptr;
    }
    const auto* door = snapshot->doors ? snapshot->doors->find(tenant) : nullptr;
    if (door) {
        view["door"] = door_json(*door);
        view["door"].erase("tenant");
        view["door"]["closed"] = true;
    } else {
        view["door"] = {{"closed", false}};
    }
    view["version"] = tenant_etag(tenant);
    return view;
}

std::string FlagEditor::tenant_etag(std::string_view tenant) const {
    const auto snapshot = snapshots_.current();
    const auto flag = snapshot->flags ? snapshot->flags->find(tenant) : std::nullopt;
    if (!flag) return store_.tenant_version(tenant, nullptr);
    const flags::EditableEntry entry{flag->stage, std::string(flag->note)};
    return store_.tenant_version(tenant, &entry);
}

nlohmann::json FlagEditor::rollout_view() const {
    const auto snapshot = snapshots_.current();
    flags::EditableRollout rollout;
    if (snapshot->flags) {
        const auto& r = snapshot->flags->rollout();
        rollout = {r.stage(), r.percent_hundredths(), r.salt(), true};
    }
    auto view = rollout_json(rollout);
    view["version"] = store_.rollout_version(rollout);
    return view;
}

std::string FlagEditor::rollout_etag() const { return rollout_view()["version"]; }

}  // namespace switchyard::admin
