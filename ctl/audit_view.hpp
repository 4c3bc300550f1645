#pragma once
// Human text for GET /v1/audit (entries of admin/audit_log.hpp, newest first). Pure.
#include <nlohmann/json.hpp>
#include <string>

namespace switchyard::ctl {

std::string audit_text(const nlohmann::json& body);

}  // namespace switchyard::ctl
