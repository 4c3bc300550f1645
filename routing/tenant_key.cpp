#include "routing/tenant_key.hpp"

#include "flags/tenant_id.hpp"
#include "routing/jwt_claim.hpp"

namespace switchyard::routing {
namespace {

// Fills `tenant` from one source; false when the source does not name one.
bool from_source(const TenantKeySource& source, const RequestView& request, std::string& tenant) {
    if (const auto* header = std::get_if<HeaderKey>(&source)) {
        const std::string_view value = request.headers(header->name);
        tenant.assign(value);
        return !value.empty();
    }
    if (const auto* host = std::get_if<HostKey>(&source)) {
        return host->pattern.match(request.host, tenant);
    }
    if (const auto* path = std::get_if<PathKey>(&source)) {
        PathPattern::Match match;
        if (!path->pattern.match(request.target, match)) return false;
        tenant.assign(match.tenant);
        return true;
    }
    const auto& jwt = std::get<JwtClaimKey>(source);
    return jwt_claim(request.headers("authorization"), jwt.claim, tenant);
}

}  // namespace

bool extract_tenant(std::span<const TenantKeySource> sources, const RequestView& request,
                    std::string& tenant) {
    for (const auto& source : sources) {
        if (from_source(source, request, tenant) && flags::is_valid_tenant_id(tenant)) return true;
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
