#pragma once
// Where a request names its tenant (ARCHITECTURE.md, "Tenant key"): sources tried in the
// configured order, the first valid id wins. Built at config load; read on every request.
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "routing/host_pattern.hpp"
#include "routing/path_pattern.hpp"
#include "routing/request_view.hpp"

namespace switchyard::routing {

struct HeaderKey {
    std::string name;  // lowercased at load
};
struct HostKey {
    HostPattern pattern;
};
struct PathKey {
    PathPattern pattern;
    bool strip = false;  // forward the target without the prefix
};
struct JwtClaimKey {
    std::string claim;  // from "Authorization: Bearer …", decoded, not verified
};
using TenantKeySource = std::variant<HeaderKey, HostKey, PathKey, JwtClaimKey>;

// The first source whose value is a valid tenant id (flags/tenant_id.hpp) fills `tenant`;
// an invalid one counts as absent and the next source is tried. False, `tenant` empty: none.
bool extract_tenant(std::span<const TenantKeySource> sources, const RequestView& request,
                    std::string& tenant);

// What a stripping path source forwards for `target`, whichever source named the tenant: the
// URL's shape decides what the backend expects. Returns false when no stripping source matches.
// Otherwise `suffix` is set when the result is a suffix of target ("/t/acme/x" → "/x", and
// "/t/acme" → "/", a literal), else `owned` ("/t/acme?q" → "/?q").
bool stripped_target(std::span<const TenantKeySource> sources, std::string_view target,
                     std::string_view& suffix, std::string& owned);

}  // namespace switchyard::routing
