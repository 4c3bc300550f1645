#include "flags/editable_document.hpp"

#include <nlohmann/json.hpp>

namespace switchyard::flags {

namespace {

std::string quoted(const std::string& text) { return nlohmann::json(text).dump(); }

}  // namespace

EditableDocument EditableDocument::from(const FlagSnapshot& snapshot) {
    EditableDocument document;
    document.default_stage = snapshot.default_stage();
    const auto& rollout = snapshot.rollout();
    document.rollout = {rollout.stage(), rollout.percent_hundredths(), rollout.salt(),
                        rollout.percent_hundredths() > 0 || !rollout.salt().empty() ||
                            rollout.stage() != Stage::legacy};
    snapshot.tenants().for_each([&](const TenantFlag& flag) {
        document.tenants.emplace(std::string(flag.id),
                                 EditableEntry{flag.stage, std::string(flag.note)});
    });
    for (const auto& [tenant, reason] : snapshot.force_reasons()) document.force.emplace(tenant, reason);
    return document;
}

std::string format_percent(std::uint32_t hundredths) {
    std::string text = std::to_string(hundredths / 100);
    if (const auto fraction = hundredths % 100; fraction != 0) {
        text += '.';
        text += static_cast<char>('0' + fraction / 10);
        if (fraction % 10 != 0) text += static_cast<char>('0' + fraction % 10);
    }
    return text;
}

std::string EditableDocument::render() const {
    std::string text = "{\n  \"default_stage\": \"" + std::string(to_string(default_stage)) + "\"";
    if (rollout.present) {
        text += ",\n  \"rollout\": {\"stage\": \"" + std::string(to_string(rollout.stage)) +
                "\", \"percent\": " + format_percent(rollout.percent_hundredths) +
                ", \"salt\": " + quoted(rollout.salt) + "}";
    }
    text += ",\n  \"tenants\": {";
    bool first = true;
    for (const auto& [tenant, entry] : tenants) {
        text += first ? "\n" : ",\n";
        first = false;
        text += "    " + quoted(tenant) + ": {\"stage\": \"" + std::string(to_string(entry.stage)) +
                "\"";
        if (!entry.note.empty()) text += ", \"note\": " + quoted(entry.note);
        text += "}";
    }
    text += first ? "}" : "\n  }";
    if (!force.empty()) {
        text += ",\n  \"force\": {";
        first = true;
        for (const auto& [tenant, reason] : force) {
            text += first ? "\n" : ",\n";
            first = false;
            text += "    " + quoted(tenant) + ": " + quoted(reason);
        }
        text += "\n  }";
    }
    text += "\n}\n";
    return text;
}

}  // namespace switchyard::flags
