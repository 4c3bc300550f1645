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

// "moved: 2 of the 41 tenants this proxy has routed…\n  a legacy→reads, b legacy→reads"
std::string moved_text(const nlohmann::json& moved) {
    const auto& count = member(moved, "count");
    const auto& known = member(moved, "known_tenants");
    if (!count.is_number_unsigned() || !known.is_number_unsigned()) return {};
    const auto n = count.get<std::size_t>();
    std::string out = "moved: " + (n == 0 ? std::string("none") : std::to_string(n)) + " of the " +
                      std::to_string(known.get<std::size_t>()) +
                      " tenants this proxy has routed since it started" +
                      (member(moved, "known_complete") == false ? " (it remembers no more)" : "") +
                      "; unseen tenants move by the same rule";
    std::vector<std::string> names;
    for (const auto& entry : member(moved, "tenants")) {
        names.push_back(field_text(entry, "tenant") + " " + field_text(entry, "from") + "→" +
                        field_text(entry, "to"));
    }
    if (!names.empty()) out += "\n  " + join(names);
    const auto& listed = member(moved, "listed");
    if (listed.is_number_unsigned() && listed.get<std::size_t>() != n) {
        out += " … (the first " + std::to_string(listed.get<std::size_t>()) + " of them)";
    }
    return out + "\n";
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
    out += moved_text(member(body, "moved"));
    out += held_and_forced_text(body);
    out += "version: " + version_text(field_text(after, "version")) + "\n";
    return out;
}

}  // namespace switchyard::ctl
