#pragma once
// Human text for the tenant endpoints' answers (GET/PUT/DELETE /v1/tenants…, the batch, the
// owner). Pure: JSON in, text out; the shapes are those of admin/flag_editor.cpp.
#include <nlohmann/json.hpp>
#include <string>

namespace switchyard::ctl {

// GET /v1/tenants: TENANT STAGE WHY OWNER DOOR, and how to page on.
std::string tenant_list_text(const nlohmann::json& body);
// GET /v1/tenants/{id}: one tenant, a line per fact.
std::string tenant_text(const nlohmann::json& view);
// PUT or DELETE /v1/tenants/{id}: before → after, then where the tenant stands now.
std::string tenant_change_text(const nlohmann::json& body);
// POST /v1/tenants:batch: the tenants as they stand after it.
std::string batch_text(const nlohmann::json& body);
// GET /v1/owner/{id}; quiet: the side alone, for `[ "$(…)" = legacy ]` in a cron job.
std::string owner_text(const nlohmann::json& body, bool quiet);

// An entry of the flag document ({"stage", "note"?} or null) in a few words.
std::string entry_text(const nlohmann::json& entry);
// A tenant view's door: "open" or "closed 2026-…Z by request … (POST /orders on proxy-1)".
std::string door_text(const nlohmann::json& door);
// The closed-door tenants a change left on new, and the ones it forced back ("" when none).
std::string held_and_forced_text(const nlohmann::json& body);

}  // namespace switchyard::ctl
