#pragma once
// What the table says, as the proxy uses it: the flag document as an immutable snapshot and the
// closed doors, at a change sequence number; and a delta (what changed after it), applied by
// building a new snapshot from the old one (the old one stays untouched for the requests that
// hold it).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "flag_table/codec.hpp"
#include "flags/door_set.hpp"
#include "flags/flag_snapshot.hpp"

namespace switchyard::flag_table {

struct Delta {
    std::int64_t seq = 0;  // every change up to this one is in the delta (or was before it)
    // Tenants whose entry changed: the entry now, or nullopt when they have none.
    std::vector<std::pair<std::string, std::optional<flags::EditableEntry>>> entries;
    std::optional<ConfigValue> config;
    std::vector<flags::DoorClosing> doors_closed;
    std::vector<std::string> doors_reopened;  // forced moves deleted their closing
    bool changes_flags() const noexcept { return !entries.empty() || config.has_value(); }
    bool empty() const noexcept {
        return !changes_flags() && doors_closed.empty() && doors_reopened.empty();
    }
};

// A snapshot of the config and these entries (tenant, entry), which must be unique.
std::shared_ptr<const flags::FlagSnapshot> build_snapshot(const ConfigValue& config,
                                                          const std::vector<EntryItem>& entries);

// `flags` with the delta's entries and config applied; `flags` itself is not changed.
std::shared_ptr<const flags::FlagSnapshot> apply_delta(const flags::FlagSnapshot& flags,
                                                       const Delta& delta);

}  // namespace switchyard::flag_table
