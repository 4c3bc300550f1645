#pragma once
// What the table says, as the proxy uses it: the flag document as an immutable snapshot and the
// closed doors, at a change sequence number; and a delta (what changed after it), applied by
// building a new snapshot from the old one (the old one stays untouched for the requests that
// hold it).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "flag_table/codec.hpp"
#include "flags/door_set.hpp"
#include "flags/flag_snapshot.hpp"

namespace switchyard::flag_table {

// A tenant whose entry changed: the entry now (nullopt: none), and its item's version.
struct EntryChange {
    std::string tenant;
    std::optional<flags::EditableEntry> entry;
    std::int64_t version = 0;
};

struct Delta {
    std::int64_t seq = 0;  // every change up to this one is in the delta (or was before it)
    std::vector<EntryChange> entries;
    std::optional<ConfigValue> config;
    std::int64_t config_version = 0;  // with config
    std::vector<flags::DoorClosing> doors_closed;
    std::vector<std::string> doors_reopened;  // forced moves deleted their closing
    bool changes_flags() const noexcept { return !entries.empty() || config.has_value(); }
    bool empty() const noexcept {
        return !changes_flags() && doors_closed.empty() && doors_reopened.empty();
    }
};

// The versions of tenants' entry items, where they are not what the snapshot implies: an entry
// with none here is at version 1 (written once), a tenant without one at 0 (never written).
// Sparse: a million tenants imported once cost nothing here.
class Versions {
  public:
    std::int64_t of(std::string_view tenant, bool has_entry) const;
    void set(const std::string& tenant, std::int64_t version, bool has_entry);
    std::size_t size() const noexcept { return exceptions_.size(); }

  private:
    std::unordered_map<std::string, std::int64_t> exceptions_;
};

// A snapshot of the config and these entries (tenant, entry), which must be unique; tombstones
// (no entry) are left out.
std::shared_ptr<const flags::FlagSnapshot> build_snapshot(const ConfigValue& config,
                                                          const std::vector<EntryItem>& entries);

// The delta's entry versions, applied.
void apply_versions(Versions& versions, const Delta& delta);

// `flags` with the delta's entries and config applied; `flags` itself is not changed.
std::shared_ptr<const flags::FlagSnapshot> apply_delta(const flags::FlagSnapshot& flags,
                                                       const Delta& delta);

}  // namespace switchyard::flag_table
