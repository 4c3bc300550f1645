#include "flag_table/snapshot_delta.hpp"

#include <unordered_set>

namespace switchyard::flag_table {

std::shared_ptr<const flags::FlagSnapshot> build_snapshot(const ConfigValue& config,
                                                          const std::vector<EntryItem>& entries) {
    flags::TenantTable tenants;
    for (const auto& item : entries) tenants.insert(item.tenant, item.entry.stage, item.entry.note);
    tenants.shrink_to_fit();
    return std::make_shared<const flags::FlagSnapshot>(config.default_stage, config.rollout(),
                                                       std::move(tenants));
}

std::shared_ptr<const flags::FlagSnapshot> apply_delta(const flags::FlagSnapshot& flags,
                                                       const Delta& delta) {
    std::unordered_set<std::string_view> changed;
    changed.reserve(delta.entries.size());
    for (const auto& [tenant, _] : delta.entries) changed.insert(tenant);
    // Rebuilt whole: the table is read-only once built, so the old snapshot's requests never
    // see it change. O(tenants), without parsing: ~0.1 s for a million (bench/RESULTS.md).
    flags::TenantTable tenants;
    flags.tenants().for_each([&](const flags::TenantFlag& flag) {
        if (!changed.contains(flag.id)) tenants.insert(flag.id, flag.stage, flag.note);
    });
    for (const auto& [tenant, entry] : delta.entries) {
        if (entry) tenants.insert(tenant, entry->stage, entry->note);
    }
    tenants.shrink_to_fit();
    const auto config = delta.config.value_or(ConfigValue::of(flags));
    return std::make_shared<const flags::FlagSnapshot>(config.default_stage, config.rollout(),
                                                       std::move(tenants));
}

}  // namespace switchyard::flag_table
