#pragma once
// A change of the flag document as the table writes it: one TransactWriteItems, all or nothing.
// Every write is conditional on what the change was decided on (the entry's and the config's
// content as read, and, where the one-way door's rule relied on it, the door being open), so a
// change decided on a state that has moved since is refused whole (base_changed), never applied
// over a newer one.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "flag_table/codec.hpp"
#include "flags/door_set.hpp"
#include "flags/editable_document.hpp"
#include "flags/flag_snapshot.hpp"

namespace switchyard::flag_table {

enum class DoorCondition : std::uint8_t {
    none,          // the change stands whatever the door
    must_be_open,  // the change moves the tenant below new: a door closed meanwhile refuses it
    reopen,        // forced past the closed door: the closing is deleted (audited)
};

struct TenantWrite {
    std::string tenant;
    std::optional<flags::EditableEntry> expected;  // the entry the change was decided on
    std::optional<flags::EditableEntry> entry;     // after the change; nullopt: unpinned
    DoorCondition door = DoorCondition::none;
    // The entry item's version the change was decided on (0: no item), when the caller knows
    // it: then a change and its undo since (the same content again) refuse it too.
    std::optional<std::int64_t> expected_version;
};

struct ChangeSet {
    std::vector<TenantWrite> tenants;
    ConfigValue expected_config;        // always checked: the door and final rules read it
    std::optional<std::int64_t> expected_config_version;
    std::optional<ConfigValue> config;  // the new one, when it changes
    std::vector<nlohmann::json> audit;  // entries, oldest first: one audit item
    std::string by;                     // who: an operator's token name, "ctl import (alice)"

    // DynamoDB items this change writes or checks in its transaction.
    std::size_t transaction_items() const;
};

enum class CommitStatus {
    committed,
    base_changed,  // an entry, a door or the config is not what the change was decided on
    unavailable,   // the table did not answer in time: nothing was written (unless maybe_applied)
    refused,       // too big for one transaction, or refused by DynamoDB (access denied, invalid)
};

struct CommitResult {
    CommitStatus status = CommitStatus::unavailable;
    std::int64_t seq = 0;  // committed: the change's place in the log
    std::string message;   // otherwise: what happened, for the operator
    // base_changed: the tenants whose entry or door moved, and whether the config did.
    std::vector<std::string> changed_tenants;
    bool config_changed = false;
    // unavailable: an attempt's answer was lost, so the change may have been applied after all.
    bool maybe_applied = false;
};

// The writes that take the table from `before` to `after` for `tenants` (the ones whose entry
// the caller changed), with the door conditions the one-way door's rule needs, given the doors
// the decision saw; tenants in `forced` reopen their closed door. The config is written when it
// differs. The caller has already run check_transition and refused what it refuses.
ChangeSet plan_change(const flags::FlagSnapshot& before, const flags::FlagSnapshot& after,
                      const flags::DoorSet& doors, const std::vector<std::string>& tenants,
                      const std::set<std::string>& forced);

// Every tenant whose entry differs between the two documents, sorted.
std::vector<std::string> changed_tenants(const flags::FlagSnapshot& before,
                                         const flags::FlagSnapshot& after);

}  // namespace switchyard::flag_table
