#pragma once
// Why a request went where it did: shared by flags/ (a tenant's stage) and routing/ (a route's
// rule), and shown to operators by the admin API and the access log.
#include <cstdint>
#include <string_view>

namespace switchyard {

enum class Why : std::uint8_t {
    pinned,            // the tenant has its own entry in the flag document
    cohort,            // the tenant is inside the rollout percentage
    default_stage,     // neither: the document's default stage
    no_tenant,         // tenant route, but the request named no (valid) tenant
    weighted,          // weighted route: the per-request split chose the side
    pinned_route,      // pinned route: the route names the side
    no_route,          // no route matched: legacy, the side that served everything before
    held_by_door,      // its door is closed: held on new although its flags say otherwise
    read_your_writes,  // `reads`, but it wrote within the window: this read goes to legacy
};

std::string_view to_string(Why why) noexcept;

}  // namespace switchyard
