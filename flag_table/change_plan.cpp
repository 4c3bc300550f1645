#include <algorithm>

#include "flag_table/change_set.hpp"
#include "flags/door_rule.hpp"

namespace switchyard::flag_table {
namespace {

std::optional<flags::EditableEntry> entry_of(const flags::FlagSnapshot& flags,
                                             std::string_view tenant) {
    const auto flag = flags.find(tenant);
    if (!flag) return std::nullopt;
    return flags::EditableEntry{flag->stage, std::string(flag->note)};
}

}  // namespace

std::size_t ChangeSet::transaction_items() const {
    // Each tenant's entry, its door's condition or deletion, then the config (written or
    // checked), the marker, the log entry and the audit record.
    std::size_t items = tenants.size() + 3 + (audit.empty() ? 0 : 1);
    for (const auto& write : tenants) items += write.door == DoorCondition::none ? 0 : 1;
    return items;
}

ChangeSet plan_change(const flags::FlagSnapshot& before, const flags::FlagSnapshot& after,
                      const flags::DoorSet& doors, const std::vector<std::string>& tenants,
                      const std::set<std::string>& forced) {
    ChangeSet change;
    change.expected_config = ConfigValue::of(before);
    if (const auto config = ConfigValue::of(after); config != change.expected_config) {
        change.config = config;
    }
    for (const auto& tenant : tenants) {
        TenantWrite write{tenant, entry_of(before, tenant), entry_of(after, tenant),
                          DoorCondition::none, std::nullopt};
        if (flags::explicit_move_below_new(&before, after, tenant)) {
            write.door = !doors.closed(tenant)     ? DoorCondition::must_be_open
                         : forced.contains(tenant) ? DoorCondition::reopen
                                                   : DoorCondition::none;
        }
        change.tenants.push_back(std::move(write));
    }
    return change;
}

std::vector<std::string> changed_tenants(const flags::FlagSnapshot& before,
                                         const flags::FlagSnapshot& after) {
    std::vector<std::string> changed;
    before.tenants().for_each([&](const flags::TenantFlag& flag) {
        const auto now = after.find(flag.id);
        if (!now || now->stage != flag.stage || now->note != flag.note) {
            changed.emplace_back(flag.id);
        }
    });
    after.tenants().for_each([&](const flags::TenantFlag& flag) {
        if (!before.find(flag.id)) changed.emplace_back(flag.id);
    });
    std::sort(changed.begin(), changed.end());
    return changed;
}

}  // namespace switchyard::flag_table
