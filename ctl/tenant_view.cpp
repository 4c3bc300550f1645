#include "ctl/tenant_view.hpp"

#include "ctl/table.hpp"
#include "ctl/text_util.hpp"

namespace switchyard::ctl {

namespace {

using nlohmann::json;

bool door_closed(const json& door) { return member(door, "closed") == true; }

std::string why_text(const std::string& why) {
    if (why == "pinned") return "pinned (its own entry in the flag document)";
    if (why == "cohort") return "cohort (inside the rollout percentage)";
    if (why == "default") return "default (neither pinned nor in the cohort)";
    if (why == "held_by_door") return "held_by_door (its door is closed: kept on new)";
    return why;
}

std::vector<std::string> strings_of(const json& array) {
    std::vector<std::string> out;
    if (!array.is_array()) return out;
    for (const auto& item : array)
        out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
    return out;
}

// "now: stage new (pinned), owner new, door open"
std::string standing_text(const json& view) {
    return "now: stage " + field_text(view, "stage") + " (" + field_text(view, "why") +
           "), owner of writes " + field_text(view, "owner") + ", door " +
           (door_closed(member(view, "door")) ? "closed" : "open") + "\n";
}

Table tenant_table(const json& views) {
    Table table({"TENANT", "STAGE", "WHY", "OWNER", "DOOR"});
    if (!views.is_array()) return table;
    for (const auto& view : views) {
        const auto& door = member(view, "door");
        table.add_row(
            {field_text(view, "tenant"), field_text(view, "stage"), field_text(view, "why"),
             field_text(view, "owner"),
             door_closed(door) && member(door, "closed_unix_ms").is_number_integer()
                 ? "closed " + utc_time(member(door, "closed_unix_ms").get<std::int64_t>())
                 : door_text(door)});
    }
    return table;
}

}  // namespace

std::string entry_text(const json& entry) {
    if (!entry.is_object()) return "(no entry)";
    auto text = field_text(entry, "stage");
    if (entry.contains("note")) text += " (note: " + field_text(entry, "note") + ")";
    return text;
}

std::string door_text(const json& door) {
    if (!door_closed(door)) return "open";
    if (member(door, "description").is_string()) {
        auto text = member(door, "description").get<std::string>();
        constexpr std::string_view kPrefix = "door ";
        if (text.rfind(kPrefix, 0) == 0) text.erase(0, kPrefix.size());
        return text;
    }
    return "closed";
}

std::string held_and_forced_text(const json& body) {
    std::string out;
    if (const auto held = strings_of(member(body, "held")); !held.empty()) {
        out += "held on new (their doors are closed, so this change did not move them): " +
               join(held) + "\n";
    }
    if (const auto forced = strings_of(member(body, "forced")); !forced.empty()) {
        out += "forced back despite a closed door (writes they made on new are not on legacy): " +
               join(forced) + "\n";
    }
    return out;
}

std::string tenant_list_text(const json& body) {
    const auto& views = member(body, "tenants");
    if (!views.is_array() || views.empty()) {
        return "no tenant has an entry of its own or a closed door: all follow the rollout "
               "(switchyard ctl rollout get)\n";
    }
    auto out = tenant_table(views).render();
    out += "\n" + std::to_string(views.size()) + " of " + field_text(body, "total", "?") +
           " tenants with an entry of their own or a closed door; the rest follow the rollout\n";
    if (member(body, "next").is_string()) {
        out += "more: switchyard ctl tenants list --after " +
               shell_quote(member(body, "next").get<std::string>()) + "\n";
    }
    return out;
}

std::string tenant_text(const json& view) {
    Table table;
    table.add_row({"tenant", field_text(view, "tenant")});
    table.add_row({"stage", field_text(view, "stage")});
    table.add_row({"why", why_text(field_text(view, "why"))});
    table.add_row(
        {"owner", field_text(view, "owner") + " (background jobs for it run there only)"});
    table.add_row({"entry", entry_text(member(view, "entry"))});
    const auto& door = member(view, "door");
    table.add_row({"door", door_closed(door)
                               ? door_text(door)
                               : "open (no write has reached new: it may still go back)"});
    table.add_row({"version", version_text(field_text(view, "version"))});
    return table.render();
}

std::string tenant_change_text(const json& body) {
    const auto& view = member(body, "tenant");
    std::string out = field_text(view, "tenant") + ": " + entry_text(member(body, "before")) +
                      " → " + entry_text(member(body, "after")) + "\n";
    out += standing_text(view);
    out += held_and_forced_text(body);
    out += "version: " + version_text(field_text(view, "version")) + "\n";
    return out;
}

std::string batch_text(const json& body) {
    const auto& views = member(body, "tenants");
    const auto count = views.is_array() ? views.size() : 0;
    std::string out = "applied " + std::to_string(count) + " change" + (count == 1 ? "" : "s") +
                      " together; now:\n";
    out += tenant_table(views).render();
    out += held_and_forced_text(body);
    return out;
}

std::string owner_text(const json& body, bool quiet) {
    const auto owner = field_text(body, "owner");
    if (quiet) return owner + "\n";
    return field_text(body, "tenant") + ": writes owned by " + owner +
           "; background jobs for it run on " + owner + " only\n";
}

}  // namespace switchyard::ctl
