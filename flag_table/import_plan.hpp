#pragma once
// `switchyard ctl import`: the changes that make the table hold a flag document, checked
// against the one-way door as an admin change is (closed doors refuse a move back unless
// forced with a reason, final tenants never go back), audited tenant by tenant, and cut into
// changes that each fit one DynamoDB transaction. Each change is all or nothing and goes
// through the change log, so running instances converge on it; the import as a whole is not
// one transaction (a big one cannot be), and says how far it got when it stops.
#include <cstdint>
#include <string>
#include <vector>

#include "flag_table/change_set.hpp"
#include "flag_table/flag_table.hpp"

namespace switchyard::flag_table {

struct ImportStamp {
    std::string by;            // "ctl import (alice@host)"
    std::string reason;        // required: every change is audited with one
    bool force = false;        // --force: closed doors may be rolled back (not final tenants)
    std::int64_t unix_ms = 0;  // the audit's time
};

struct ImportPlan {
    std::vector<ChangeSet> changes;    // in order; the first carries the config, if it changed
    std::vector<std::string> refused;  // the door's and final rule's refusals: write nothing
    std::vector<std::string> forced;   // tenants forced past their closed doors
    std::vector<std::string> held;     // closed-door tenants an implicit change leaves on new
    std::size_t tenants_set = 0;
    std::size_t tenants_unpinned = 0;
    bool config_changed = false;
    bool empty() const noexcept { return changes.empty(); }
};

// `document` forces tenants with its own "force" map as the file store does; --force forces
// every tenant the door would refuse.
ImportPlan plan_import(const Loaded& table, const flags::FlagSnapshot& document,
                       const ImportStamp& stamp);

}  // namespace switchyard::flag_table
