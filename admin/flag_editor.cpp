#include "admin/flag_editor.hpp"

#include <fstream>
#include <sstream>

#include "flags/door_rule.hpp"
#include "flags/flag_document.hpp"
#include "routing/decide.hpp"

namespace switchyard::admin {

namespace {

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

std::string quoted_hash(const std::string& text) { return "\"" + sha256_hex(text).substr(0, 16) + "\""; }

}  // namespace

Outcome error_outcome(unsigned status, std::string_view code, std::string message) {
    return {status, {{"error", code}, {"message", std::move(message)}}, {}};
}

std::string etag_of_entry(const flags::EditableEntry* entry) {
    return quoted_hash(entry ? std::string(to_string(entry->stage)) + "\n" + entry->note
                             : std::string("(no entry)"));
}

std::string etag_of_rollout(const flags::EditableRollout& rollout) {
    return quoted_hash(std::string(to_string(rollout.stage)) + "\n" +
                       std::to_string(rollout.percent_hundredths) + "\n" + rollout.salt);
}

FlagEditor::FlagEditor(std::filesystem::path flag_file, flags::DoorJournal& doors,
                       routing::SnapshotStore& snapshots, AuditLog& audit,
                       std::mutex& write_mutex)
    : flag_file_(std::move(flag_file)),
      doors_(doors),
      snapshots_(snapshots),
      audit_(audit),
      mutex_(write_mutex) {}

namespace {
constexpr unsigned kStatusRetry = 0;  // the file changed under us: start again from disk
constexpr int kAttempts = 5;

std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}
}  // namespace

template <typename Attempt>
Outcome FlagEditor::with_retries(Attempt attempt) {
    for (int i = 0; i < kAttempts; ++i) {
        auto outcome = attempt();
        if (outcome.status != kStatusRetry) return outcome;
    }
    return error_outcome(409, "flag_file_busy",
                         "the flag file kept changing while this change was applied; nothing "
                         "was written, retry");
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

Result<FlagEditor::Loaded> FlagEditor::read_disk() const {
    if (!std::filesystem::exists(flag_file_)) {
        return Error{flag_file_.string() + ": cannot read the flag file"};
    }
    auto text = read_text(flag_file_);
    auto parsed = flags::parse_flag_document(text);
    if (!parsed) return Error{flag_file_.string() + ": " + parsed.error().message};
    return Loaded{flags::EditableDocument::from(**parsed), parsed.value(), std::move(text)};
}

Outcome FlagEditor::commit(const std::string& read_text_before, const flags::EditableDocument& changed,
                           std::vector<AuditEntry> audit, const ChangeContext& context,
                           const std::vector<std::string>& forced_tenants) {
    const auto text = changed.render();
    auto after = flags::parse_flag_document(text);
    if (!after) return error_outcome(500, "internal", "the changed document does not parse: " + after.error().message);

    // Checked against what is routing now: that is what a rollback would undo.
    const auto running = snapshots_.current()->flags;
    const auto report = flags::check_transition(
        running.get(), **after, *doors_.doors(), [&](std::string_view tenant) -> std::string_view {
            if (!context.force) return {};
            for (const auto& forced : forced_tenants) {
                if (forced == tenant) return context.reason;
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
        return refused;
    }
    for (auto move : report.forced) {
        move.by = context.principal.name;
        if (auto recorded = doors_.record_forced_move(move); !recorded) {
            return error_outcome(503, "journal_unavailable", recorded.error().message);
        }
    }
    // A hand edit saved since we read the file would be lost by our rename: start again from it.
    // (POSIX has no compare-and-rename; checked after our temp file is durable, this leaves
    // microseconds, not the whole change.)
    const auto written = flags::write_file_atomically(
        flag_file_, text, [&] { return read_text(flag_file_) == read_text_before; });
    if (!written) return error_outcome(503, "flag_file_unwritable", written.error().message);
    if (!written.value()) return {kStatusRetry, {}, {}};
    if (auto audited = audit_.append(audit); !audited) {
        // The change is on disk and will route; say so rather than pretend it failed.
        return error_outcome(503, "audit_unavailable",
                             "the change was applied but could not be audited: " +
                                 audited.error().message);
    }
    snapshots_.update_flags(after.value());
    Outcome outcome;
    outcome.body["held"] = report.held;
    nlohmann::json forced = nlohmann::json::array();
    for (const auto& move : report.forced) forced.push_back(move.tenant);
    outcome.body["forced"] = forced;
    return outcome;
}

Outcome FlagEditor::change_tenants_once(const std::vector<TenantChange>& changes,
                                        const ChangeContext& context, bool batch) {
    auto disk = read_disk();
    if (!disk) {
        return error_outcome(409, "flag_file_invalid",
                             "the flag file on disk does not load, fix it first: " +
                                 disk.error().message);
    }
    if (!batch && !context.if_match.empty() &&
        context.if_match != etag_of_entry(find_entry(disk->document, changes.front().tenant))) {
        return error_outcome(412, "precondition_failed",
                             "tenant " + changes.front().tenant +
                                 " changed since you read it (If-Match does not match); read it "
                                 "again and retry");
    }
    auto changed = disk->document;
    std::vector<AuditEntry> audit;
    std::vector<std::string> touched;
    const auto now = flags::unix_now_ms();
    for (const auto& change : changes) {
        const auto* before = find_entry(changed, change.tenant);
        AuditEntry entry{now, context.principal.name,
                         change.stage ? "set_tenant" : "unpin_tenant", change.tenant,
                         entry_json(before), nullptr, context.reason, context.force,
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
    auto outcome = commit(disk->text, changed, std::move(audit), context, touched);
    if (outcome.status != 200) return outcome;
    nlohmann::json results = nlohmann::json::array();
    for (const auto& change : changes) {
        auto view = tenant_view(change.tenant);
        results.push_back(std::move(view));
    }
    outcome.body[batch ? "tenants" : "tenant"] = batch ? results : results.front();
    if (!batch) {
        const auto& tenant = changes.front().tenant;
        outcome.body["before"] = entry_json(find_entry(disk->document, tenant));
        outcome.body["after"] = entry_json(find_entry(changed, tenant));
        outcome.etag = etag_of_entry(find_entry(changed, tenant));
    }
    return outcome;
}

Outcome FlagEditor::change_rollout_once(const RolloutChange& change,
                                        const ChangeContext& context) {
    auto disk = read_disk();
    if (!disk) {
        return error_outcome(409, "flag_file_invalid",
                             "the flag file on disk does not load, fix it first: " +
                                 disk.error().message);
    }
    if (!context.if_match.empty() && context.if_match != etag_of_rollout(disk->document.rollout)) {
        return error_outcome(412, "precondition_failed",
                             "the rollout changed since you read it (If-Match does not match); "
                             "read it again and retry");
    }
    auto changed = disk->document;
    changed.rollout = {change.stage, change.percent_hundredths,
                       change.salt.value_or(disk->document.rollout.salt), true};
    AuditEntry entry{flags::unix_now_ms(), context.principal.name, "set_rollout", "",
                     rollout_json(disk->document.rollout), rollout_json(changed.rollout),
                     context.reason, context.force, context.request_id};
    auto outcome = commit(disk->text, changed, {std::move(entry)}, context, {});
    if (outcome.status != 200) return outcome;
    outcome.body["rollout"] = rollout_view();
    outcome.body["before"] = rollout_json(disk->document.rollout);
    outcome.etag = etag_of_rollout(changed.rollout);
    return outcome;
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
        view["door"] = {{"closed", true},         {"closed_unix_ms", door->unix_ms},
                        {"request_id", door->request_id}, {"instance", door->instance},
                        {"method", door->method},  {"path", door->path},
                        {"description", flags::describe_door(*door)}};
    } else {
        view["door"] = {{"closed", false}};
    }
    view["version"] = tenant_etag(tenant);
    return view;
}

std::string FlagEditor::tenant_etag(std::string_view tenant) const {
    const auto snapshot = snapshots_.current();
    if (!snapshot->flags) return etag_of_entry(nullptr);
    const auto flag = snapshot->flags->find(tenant);
    if (!flag) return etag_of_entry(nullptr);
    const flags::EditableEntry entry{flag->stage, std::string(flag->note)};
    return etag_of_entry(&entry);
}

nlohmann::json FlagEditor::rollout_view() const {
    const auto snapshot = snapshots_.current();
    flags::EditableRollout rollout;
    if (snapshot->flags) {
        const auto& r = snapshot->flags->rollout();
        rollout = {r.stage(), r.percent_hundredths(), r.salt(), true};
    }
    auto view = rollout_json(rollout);
    view["version"] = etag_of_rollout(rollout);
    return view;
}

std::string FlagEditor::rollout_etag() const { return rollout_view()["version"]; }

}  // namespace switchyard::admin
