#pragma once
// Applies a new flag document under the one-way door's rule: refused whole when it would move
// a closed-door tenant back without force (or any final tenant back at all); forced moves are
// journaled first; closed-door tenants held by an implicit change are logged.
#include <memory>
#include <string>

#include "flags/door_journal.hpp"
#include "flags/flag_snapshot.hpp"
#include "routing/snapshot_store.hpp"

namespace switchyard::app {

// `before` null: the document loaded at start. Returns the refusal, empty when applied.
std::string apply_flag_change(const flags::FlagSnapshot* before,
                              std::shared_ptr<const flags::FlagSnapshot> after,
                              flags::DoorJournal& journal, routing::SnapshotStore& snapshots);

// The DynamoDB store publishes what the table holds (every write to it was checked by its
// writer, with conditions, so a later refusal here would only strand this instance on old
// flags); this logs what the one-way door's rule says about the change: the closed-door
// tenants it held on new, and moves that no switchyard writer would have made (a hand edit in
// the console?), which the doors hold too except for final tenants.
void report_table_change(const flags::FlagSnapshot& before, const flags::FlagSnapshot& after,
                         const flags::DoorSet& doors, std::int64_t seq);

}  // namespace switchyard::app
