#include "app/flag_changes.hpp"

#include <spdlog/spdlog.h>

#include "flags/door_rule.hpp"

namespace switchyard::app {

namespace {

std::string join_listing(const std::vector<std::string>& items, std::size_t at_most) {
    std::string text;
    for (std::size_t i = 0; i < items.size() && i < at_most; ++i) {
        if (i) text += ", ";
        text += items[i];
    }
    if (items.size() > at_most) text += " and " + std::to_string(items.size() - at_most) + " more";
    return text;
}

}  // namespace

std::string apply_flag_change(const flags::FlagSnapshot* before,
                              std::shared_ptr<const flags::FlagSnapshot> after,
                              flags::DoorJournal& journal, routing::SnapshotStore& snapshots) {
    const auto report =
        flags::check_transition(before, *after, *journal.doors(), [&](std::string_view tenant) {
            return after->force_reason(tenant);
        });
    if (!report.accepted()) {
        std::string refusal;
        for (const auto& line : report.refused) refusal += (refusal.empty() ? "" : "; ") + line;
        return refusal + R"( (to force: add "force": {"<tenant>": "<reason>"} to the flag file))";
    }
    for (const auto& move : report.forced) {
        // Journaled before the move takes effect, so no forced move is ever unaudited.
        if (auto recorded = journal.record_forced_move(move); !recorded) {
            return "tenants." + move.tenant + ": the forced move could not be journaled: " +
                   recorded.error().message;
        }
        spdlog::warn("flags: FORCED {} from {} to {} past its closed door: \"{}\"", move.tenant,
                     move.from, move.to, move.reason);
    }
    snapshots.update_flags(after);
    if (!report.held.empty()) {
        spdlog::warn("flags: {} closed-door tenant(s) held on new despite this change: {}",
                     report.held.size(), join_listing(report.held, 20));
    }
    return {};
}

void report_table_change(const flags::FlagSnapshot& before, const flags::FlagSnapshot& after,
                         const flags::DoorSet& doors, std::int64_t seq) {
    const auto report = flags::check_transition(&before, after, doors, {});
    if (!report.refused.empty()) {
        spdlog::error(
            "flags: the table's change {} breaks the one-way door's rule (written "
            "outside switchyard?); applied as the table holds it, closed doors still "
            "hold their tenants on new: {}",
            seq, join_listing(report.refused, 5));
    }
    if (!report.held.empty()) {
        spdlog::warn("flags: {} closed-door tenant(s) held on new despite change {}: {}",
                     report.held.size(), seq, join_listing(report.held, 20));
    }
}

}  // namespace switchyard::app
