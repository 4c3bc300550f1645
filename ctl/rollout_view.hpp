#pragma once
// Human text for GET and PUT /v1/rollout (shapes of admin/flag_editor.cpp). Pure.
#include <nlohmann/json.hpp>
#include <string>

namespace switchyard::ctl {

// {"stage", "percent", "salt"} → "new 5% (salt wave-1)"
std::string cohort_text(const nlohmann::json& rollout);
std::string rollout_text(const nlohmann::json& view);
std::string rollout_change_text(const nlohmann::json& body);

}  // namespace switchyard::ctl
