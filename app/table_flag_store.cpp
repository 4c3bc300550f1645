#include "app/table_flag_store.hpp"

#include <spdlog/spdlog.h>

#include <set>

#include "admin/tokens.hpp"
#include "flag_table/change_set.hpp"

namespace switchyard::app {
namespace {

std::string version_text(std::int64_t version, const std::string& content) {
    return "\"" + std::to_string(version) + "-" + admin::sha256_hex(content).substr(0, 12) + "\"";
}

// The changed document where the door rule reads it: the change's tenants and its config.
std::shared_ptr<const flags::FlagSnapshot> changed_part(const admin::PendingChange& change) {
    flags::TenantTable tenants;
    for (const auto& tenant : change.tenants) {
        const auto it = change.changed.tenants.find(tenant);
        if (it != change.changed.tenants.end()) {
            tenants.insert(tenant, it->second.stage, it->second.note);
        }
    }
    const auto& rollout = change.changed.rollout;
    return std::make_shared<const flags::FlagSnapshot>(
        change.changed.default_stage,
        flags::Rollout(rollout.stage, rollout.percent_hundredths, rollout.salt),
        std::move(tenants));
}

}  // namespace

TableFlagStore::TableFlagStore(flag_table::FlagTable& table, flag_table::TablePoller& poller,
                               flag_table::LiveDoors& doors)
    : table_(table), poller_(poller), doors_(doors) {}

std::shared_ptr<const flag_table::TableView> TableFlagStore::view() const {
    return last_read_ ? last_read_ : poller_.view();
}

Result<flags::EditableDocument, admin::ReadFailure> TableFlagStore::read() {
    last_read_.reset();
    // A poll now: what the table holds at this moment, with whatever other instances wrote.
    if (auto synced = poller_.sync_now(); !synced) {
        const bool bad_item = synced.error().kind == flag_table::StoreErrorKind::invalid_item;
        return admin::ReadFailure{!bad_item, synced.error().message};
    }
    last_read_ = poller_.view();
    return flags::EditableDocument::from(*last_read_->flags);
}

admin::CommitResult TableFlagStore::commit(const admin::PendingChange& change) {
    const auto read = std::exchange(last_read_, nullptr);
    if (!read) return {admin::CommitStatus::changed_since_read, {}};
    std::set<std::string> forced;
    for (const auto& move : change.forced) forced.insert(move.tenant);
    auto planned = flag_table::plan_change(*read->flags, *changed_part(change), *doors_.doors(),
                                           change.tenants, forced);
    for (auto& write : planned.tenants) {
        write.expected_version = read->versions->of(write.tenant, write.expected.has_value());
    }
    planned.expected_config_version = read->config_version;
    for (const auto& entry : change.audit) planned.audit.push_back(entry.to_json());
    planned.by = change.audit.empty() ? "admin API" : change.audit.front().token_name;

    const auto result = table_.commit(planned);
    switch (result.status) {
        case flag_table::CommitStatus::committed:
            break;
        case flag_table::CommitStatus::base_changed:
            return {admin::CommitStatus::changed_since_read, {}};
        case flag_table::CommitStatus::unavailable:
            return {admin::CommitStatus::unavailable,
                    result.message + (result.maybe_applied
                                          ? " (an answer was lost on the way: the change may have "
                                            "been applied; read it again before retrying)"
                                          : "")};
        case flag_table::CommitStatus::refused:
            return {admin::CommitStatus::unavailable, result.message};
    }
    // Routed here before it is answered: the poller reads it back, with anything other
    // instances wrote meanwhile, and publishes that (so the editor must not publish over it).
    if (auto synced = poller_.sync_now(); !synced) {
        spdlog::warn("admin: change {} is in table {}; it routes here at the next poll ({})",
                     result.seq, table_.name(), synced.error().message);
        return {admin::CommitStatus::committed, {}, false};
    }
    return {admin::CommitStatus::committed, {}, true};
}

std::string TableFlagStore::tenant_version(std::string_view tenant,
                                           const flags::EditableEntry* entry) const {
    const auto known = view();
    const auto version = known ? known->versions->of(tenant, entry != nullptr) : 0;
    return version_text(version, entry ? std::string(to_string(entry->stage)) + "\n" + entry->note
                                       : std::string("(no entry)"));
}

std::string TableFlagStore::rollout_version(const flags::EditableRollout& rollout) const {
    const auto known = view();
    return version_text(known ? known->config_version : 0,
                        std::string(to_string(rollout.stage)) + "\n" +
                            std::to_string(rollout.percent_hundredths) + "\n" + rollout.salt);
}

Result<std::vector<nlohmann::json>> TableFlagStore::recent_audit(std::size_t limit,
                                                                 std::string_view tenant) const {
    auto entries = table_.read_audit({limit, std::string(tenant)});
    if (!entries) return Error{entries.error().message};
    return std::move(*entries);
}

std::string TableFlagStore::describe() const { return "DynamoDB table " + table_.name(); }

}  // namespace switchyard::app
