#include "ctl/audit_view.hpp"

#include "ctl/rollout_view.hpp"
#include "ctl/table.hpp"
#include "ctl/tenant_view.hpp"
#include "ctl/text_util.hpp"

namespace switchyard::ctl {

namespace {

// A tenant entry ({"stage"}) or a cohort ({"stage", "percent", "salt"}), as the action says.
std::string state_text(const nlohmann::json& state, bool rollout) {
    if (rollout) return cohort_text(state);
    return state.is_object() ? field_text(state, "stage") : "(no entry)";
}

}  // namespace

std::string audit_text(const nlohmann::json& body) {
    const auto& entries = member(body, "entries");
    if (!entries.is_array() || entries.empty()) return "no audit entries\n";
    Table table(
        {"TIME", "TOKEN", "ACTION", "TENANT", "BEFORE", "AFTER", "FORCE", "REASON", "REQUEST ID"});
    for (const auto& entry : entries) {
        const bool rollout = field_text(entry, "action") == "set_rollout";
        const auto& before = member(entry, "before");
        const auto& after = member(entry, "after");
        const bool forced = member(entry, "force") == true;
        table.add_row(
            {field_text(entry, "time"), field_text(entry, "token"), field_text(entry, "action"),
             rollout ? "(rollout)" : field_text(entry, "tenant"), state_text(before, rollout),
             state_text(after, rollout), forced ? "forced" : "", field_text(entry, "reason"),
             field_text(entry, "request_id")});
    }
    return table.render() + "\n" + std::to_string(entries.size()) +
           (entries.size() == 1 ? " entry" : " entries") + ", newest first\n";
}

}  // namespace switchyard::ctl
