#pragma once
// The admin API (ARCHITECTURE.md, "The admin API") as a function from a request to a response:
// no sockets here, so every endpoint is testable with plain values; admin_server.cpp only
// moves bytes. JSON in and out; errors are {"error": code, "message": text}.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "admin/flag_editor.hpp"
#include "admin/tokens.hpp"
#include "routing/snapshot_store.hpp"

namespace switchyard::admin {

struct ApiRequest {
    std::string_view method;
    std::string_view target;  // path and query
    std::string_view authorization;
    std::string_view if_match;
    std::string_view body;
    std::string_view request_id;
};

struct ApiResponse {
    unsigned status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::string etag;
};

struct AdminServices {
    // Authorization header value → who; nullopt when unknown (see TokenFile).
    std::function<std::optional<Principal>(std::string_view)> authenticate;
    FlagEditor* editor = nullptr;
    routing::SnapshotStore* snapshots = nullptr;
    std::function<nlohmann::json()> readiness;  // {"ready": bool, …}
    std::function<std::string()> stats_json;    // GET /v1/stats; empty: 404
    std::function<std::string()> metrics_text;  // GET /metrics; empty: 404
};

ApiResponse handle_admin_request(const AdminServices& services, const ApiRequest& request);

}  // namespace switchyard::admin
