#pragma once
// Tenant ids from a claim of a bearer JWT. The token is decoded, NOT verified: switchyard only
// needs to know where to send the request, and the backends verify the signature themselves.
// A forged claim can therefore only pick a side, never grant access.
#include <string>
#include <string_view>

namespace switchyard::routing {

// From an Authorization header value ("Bearer h.p.s"): the claim's value when it is a string,
// or an integer rendered as written. False for another scheme, a malformed token or payload, a
// missing claim or one of another type, or a claim that appears twice (parsers disagree on
// which one wins, and the backend's choice is unknown).
bool jwt_claim(std::string_view authorization, std::string_view claim, std::string& value);

}  // namespace switchyard::routing
