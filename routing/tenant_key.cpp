#include "routing/tenant_key.hpp"

#include "flags/tenant_id.hpp"
#include "routing/ascii.hpp"
#include "routing/jwt_claim.hpp"

namespace switchyard::routing {
namespace {

// Fills `tenant` from one source when it names a valid id; the validity check comes before
// the copy where it can, so a hostile 8 KB header value is never copied.
bool from_source(const TenantKeySource& source, const RequestView& request, std::string& tenant) {
    std::string_view found;
    if (const auto* header = std::get_if<HeaderKey>(&source)) {
        found = request.headers(header->name);
    } else if (const auto* host = std::get_if<HostKey>(&source)) {
        if (!host->pattern.match(request.host, found)) return false;
    } else if (const auto* path = std::get_if<PathKey>(&source)) {
        PathPattern::Match match;
        if (!path->pattern.match(request.target, match)) return false;
        found = match.tenant;
    } else {
        const auto& jwt = std::get<JwtClaimKey>(source);
        return jwt_claim(request.headers("authorization"), jwt.claim, tenant) &&
               flags::is_valid_tenant_id(tenant);
    }
    if (!flags::is_valid_tenant_id(found)) return false;
    tenant.assign(found);
    if (std::holds_alternative<HostKey>(source)) {
        for (char& c : tenant) c = ascii_lower(c);  // host names are case-insensitive
    }
    return true;
}

}  // namespace

bool extract_tenant(std::span<const TenantKeySource> sources, const RequestView& request,
                    std::string& tenant) {
    for (const auto& source : sources) {
        if (from_source(source, request, tenant)) return true;
    }
    tenant.clear();
    return false;
}

bool stripped_target(std::span<const TenantKeySource> sources, std::string_view target,
                     std::string_view& suffix, std::string& owned) {
    for (const auto& source : sources) {
        const auto* path = std::get_if<PathKey>(&source);
        PathPattern::Match match;
        if (!path || !path->strip || !path->pattern.match(target, match) ||
            !flags::is_valid_tenant_id(match.tenant)) {
            continue;
        }
        if (match.rest.empty()) {
            suffix = "/";  // a literal: lives forever
        } else if (match.rest.front() == '/') {
            suffix = match.rest;
        } else {
            owned.assign("/").append(match.rest);  // "?q": only a new string can hold "/?q"
        }
        return true;
    }
    return false;
}

}  // namespace switchyard::routing
