#include "ctl/rollout_view.hpp"

#include "ctl/table.hpp"
#include "ctl/tenant_view.hpp"
#include "ctl/text_util.hpp"

namespace switchyard::ctl {

namespace {

std::string percent_field(const nlohmann::json& rollout) {
    const auto& percent = member(rollout, "percent");
    return percent.is_number() ? percent_text(percent.get<double>())
                               : field_text(rollout, "percent");
}

}  // namespace

std::string cohort_text(const nlohmann::json& rollout) {
    if (!rollout.is_object()) return "(none)";
    return field_text(rollout, "stage") + " " + percent_field(rollout) + " (salt " +
           field_text(rollout, "salt") + ")";
}

std::string rollout_text(const nlohmann::json& view) {
    Table table;
    table.add_row({"stage", field_text(view, "stage")});
    table.add_row({"percent", percent_field(view) + " of tenants without an entry of their own"});
    table.add_row({"salt", field_text(view, "salt")});
    table.add_row({"version", version_text(field_text(view, "version"))});
    return table.render();
}

std::string rollout_change_text(const nlohmann::json& body) {
    const auto& after = member(body, "rollout");
    std::string out =
        "rollout: " + cohort_text(member(body, "before")) + " → " + cohort_text(after) + "\n";
    out += held_and_forced_text(body);
    out += "version: " + version_text(field_text(after, "version")) + "\n";
    return out;
}

}  // namespace switchyard::ctl
