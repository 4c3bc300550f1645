#include "admin/file_flag_store.hpp"

#include "admin/tokens.hpp"
#include "flags/flag_document.hpp"

namespace switchyard::admin {

namespace {

std::string version_text(std::uint64_t changes, const std::string& content) {
    return "\"" + std::to_string(changes) + "-" + sha256_hex(content).substr(0, 12) + "\"";
}

}  // namespace

FileFlagStore::FileFlagStore(std::filesystem::path flag_file, flags::DoorJournal& doors,
                             AuditLog& audit)
    : flag_file_(std::move(flag_file)), doors_(doors), audit_(audit) {
    audit_.for_each([&](const nlohmann::json& entry) {
        const auto tenant = entry.value("tenant", nlohmann::json());
        count_change(entry.value("action", ""),
                     tenant.is_string() ? tenant.get<std::string>() : "");
    });
}

void FileFlagStore::count_change(const std::string& action, const std::string& tenant) {
    std::lock_guard lock(versions_mutex_);
    if (action == "set_rollout") {
        ++rollout_changes_;
    } else if (!tenant.empty()) {
        ++tenant_changes_[tenant];
    }
}

Result<flags::EditableDocument, ReadFailure> FileFlagStore::read() {
    last_read_.reset();
    auto content = flags::read_file_content(flag_file_);
    if (!content) return ReadFailure{false, content.error().message};
    auto parsed = flags::parse_flag_document(content->text);
    if (!parsed) return ReadFailure{false, flag_file_.string() + ": " + parsed.error().message};
    last_read_ = std::move(content.value());
    return flags::EditableDocument::from(**parsed);
}

CommitResult FileFlagStore::commit(const PendingChange& change) {
    if (!last_read_) return {CommitStatus::changed_since_read, {}};
    for (const auto& move : change.forced) {
        if (auto recorded = doors_.record_forced_move(move); !recorded) {
            return {CommitStatus::unavailable, recorded.error().message};
        }
    }
    const auto replaced =
        flags::replace_file_if_unchanged(flag_file_, change.changed.render(), *last_read_);
    last_read_.reset();
    if (!replaced) return {CommitStatus::unavailable, replaced.error().message};
    if (!replaced.value()) return {CommitStatus::changed_since_read, {}};
    for (const auto& entry : change.audit) count_change(entry.action, entry.tenant);
    if (auto audited = audit_.append(change.audit); !audited) {
        return {CommitStatus::unaudited, audited.error().message};
    }
    return {CommitStatus::committed, {}};
}

std::string FileFlagStore::tenant_version(std::string_view tenant,
                                          const flags::EditableEntry* entry) const {
    std::uint64_t changes = 0;
    {
        std::lock_guard lock(versions_mutex_);
        if (const auto it = tenant_changes_.find(std::string(tenant)); it != tenant_changes_.end())
            changes = it->second;
    }
    return version_text(changes, entry ? std::string(to_string(entry->stage)) + "\n" + entry->note
                                       : std::string("(no entry)"));
}

std::string FileFlagStore::rollout_version(const flags::EditableRollout& rollout) const {
    std::uint64_t changes = 0;
    {
        std::lock_guard lock(versions_mutex_);
        changes = rollout_changes_;
    }
    return version_text(changes, std::string(to_string(rollout.stage)) + "\n" +
                                     std::to_string(rollout.percent_hundredths) + "\n" +
                                     rollout.salt);
}

Result<std::vector<nlohmann::json>> FileFlagStore::recent_audit(std::size_t limit,
                                                                std::string_view tenant) const {
    return audit_.recent(limit, tenant);
}

std::string FileFlagStore::describe() const { return "flag file " + flag_file_.string(); }

}  // namespace switchyard::admin
