#include "flag_table/import_plan.hpp"

#include <set>

#include "common/utc_time.hpp"
#include "flag_table/layout.hpp"
#include "flags/door_rule.hpp"

namespace switchyard::flag_table {
namespace {

// The audit's shapes are the admin API's (admin/flag_editor.cpp), so both read alike.
nlohmann::json entry_json(const std::optional<flags::EditableEntry>& entry) {
    if (!entry) return nullptr;
    nlohmann::json json{{"stage", to_string(entry->stage)}};
    if (!entry->note.empty()) json["note"] = entry->note;
    return json;
}

nlohmann::json rollout_json(const ConfigValue& config) {
    return {{"stage", to_string(config.rollout_stage)},
            {"percent", config.rollout_percent_hundredths / 100.0},
            {"salt", config.rollout_salt}};
}

nlohmann::json audit_entry(const ImportStamp& stamp, const char* action,
                           const nlohmann::json& tenant, nlohmann::json before,
                           nlohmann::json after, bool forced) {
    return {{"time", utc_time(stamp.unix_ms, Precision::milliseconds)},
            {"unix_ms", stamp.unix_ms},
            {"token", stamp.by},
            {"action", action},
            {"tenant", tenant},
            {"before", std::move(before)},
            {"after", std::move(after)},
            {"reason", stamp.reason},
            {"force", forced},
            {"request_id", ""}};
}

// The config's own audit entries: a rollout change, a default stage change.
std::vector<nlohmann::json> config_audit(const ConfigValue& before, const ConfigValue& after,
                                         const ImportStamp& stamp) {
    std::vector<nlohmann::json> entries;
    if (before.rollout_stage != after.rollout_stage ||
        before.rollout_percent_hundredths != after.rollout_percent_hundredths ||
        before.rollout_salt != after.rollout_salt) {
        entries.push_back(audit_entry(stamp, "set_rollout", nullptr, rollout_json(before),
                                      rollout_json(after), false));
    }
    if (before.default_stage != after.default_stage) {
        entries.push_back(audit_entry(stamp, "set_default_stage", nullptr,
                                      to_string(before.default_stage),
                                      to_string(after.default_stage), false));
    }
    return entries;
}

}  // namespace

ImportPlan plan_import(const Loaded& table, const flags::FlagSnapshot& document,
                       const ImportStamp& stamp) {
    ImportPlan plan;
    const auto doors = std::make_shared<const flags::DoorSet>()->with(table.doors);
    const auto report = flags::check_transition(
        table.flags.get(), document, *doors, [&](std::string_view tenant) -> std::string_view {
            if (const auto reason = document.force_reason(tenant); !reason.empty()) return reason;
            return stamp.force ? std::string_view(stamp.reason) : std::string_view{};
        });
    plan.refused = report.refused;
    plan.held = report.held;
    if (!report.accepted()) return plan;
    std::set<std::string> forced;
    for (const auto& move : report.forced) {
        forced.insert(move.tenant);
        plan.forced.push_back(move.tenant);
    }

    const auto tenants = changed_tenants(*table.flags, document);
    auto whole = plan_change(*table.flags, document, *doors, tenants, forced);
    plan.config_changed = whole.config.has_value();
    if (tenants.empty() && !whole.config) return plan;

    // Cut into transactions: the first one carries the config (and its audit), each one a
    // tenant's entry, its door item, and the audit of what it wrote.
    ChangeSet current;
    current.expected_config = whole.expected_config;
    current.config = whole.config;
    current.by = stamp.by;
    if (whole.config) current.audit = config_audit(whole.expected_config, *whole.config, stamp);
    const auto after_config = whole.config.value_or(whole.expected_config);
    for (auto& write : whole.tenants) {
        const std::size_t items = 1 + (write.door == DoorCondition::none ? 0 : 1);
        // An audit item appears with the first entry, so count it as if it were there.
        const std::size_t audit_item = current.audit.empty() ? 1 : 0;
        if (!current.tenants.empty() &&
            current.transaction_items() + items + audit_item > kMaxTransactionItems) {
            plan.changes.push_back(std::move(current));
            current = ChangeSet{};
            current.expected_config = after_config;
            current.by = stamp.by;
        }
        ++(write.entry ? plan.tenants_set : plan.tenants_unpinned);
        current.audit.push_back(audit_entry(
            stamp, write.entry ? "set_tenant" : "unpin_tenant", write.tenant,
            entry_json(write.expected), entry_json(write.entry), forced.contains(write.tenant)));
        current.tenants.push_back(std::move(write));
    }
    plan.changes.push_back(std::move(current));
    return plan;
}

}  // namespace switchyard::flag_table
