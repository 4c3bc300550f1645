#include "flag_table/snapshot_delta.hpp"

#include <unordered_set>

namespace switchyard::flag_table {

std::int64_t Versions::of(std::string_view tenant, bool has_entry) const {
    const auto it = exceptions_.find(std::string(tenant));
    if (it != exceptions_.end()) return it->second;
    return has_entry ? 1 : 0;
}

void Versions::set(const std::string& tenant, std::int64_t version, bool has_entry) {
    if (version == (has_entry ? 1 : 0)) {
        exceptions_.erase(tenant);
    } else {
        exceptions_[tenant] = version;
    }
}

std::shared_ptr<const flags::FlagSnapshot> build_snapshot(const ConfigValue& config,
                                                          const std::vector<EntryItem>& entries) {
    flags::TenantTable tenants;
    for (const auto& item : entries) {
        if (item.entry) tenants.insert(item.tenant, item.entry->stage, item.entry->note);
    }
    tenants.shrink_to_fit();
    return std::make_shared<const flags::FlagSnapshot>(config.default_stage, config.rollout(),
                                                       std::move(tenants));
}

void apply_versions(Versions& versions, const Delta& delta) {
    for (const auto& change : delta.entries) {
        versions.set(change.tenant, change.version, change.entry.has_value());
    }
}

std::shared_ptr<const flags::FlagSnapshot> apply_delta(const flags::FlagSnapshot& flags,
                                                       const Delta& delta) {
    std::unordered_set<std::string_view> changed;
    changed.reserve(delta.entries.size());
    for (const auto& change : delta.entries) changed.insert(change.tenant);
    // Rebuilt whole: the table is read-only once built, so the old snapshot's requests never
    // see it change. O(tenants), without parsing: 0.1-0.6 s for a million on the 2-core VM,
    // off the request path (bench/RESULTS.md, bench_table_load).
    flags::TenantTable tenants;
    flags.tenants().for_each([&](const flags::TenantFlag& flag) {
        if (!changed.contains(flag.id)) tenants.insert(flag.id, flag.stage, flag.note);
    });
    for (const auto& change : delta.entries) {
        if (change.entry) tenants.insert(change.tenant, change.entry->stage, change.entry->note);
    }
    tenants.shrink_to_fit();
    const auto config = delta.config.value_or(ConfigValue::of(flags));
    return std::make_shared<const flags::FlagSnapshot>(config.default_stage, config.rollout(),
                                                       std::move(tenants));
}

}  // namespace switchyard::flag_table
