#include "routing/path_pattern.hpp"

#include <algorithm>

namespace switchyard::routing {
namespace {

constexpr std::string_view kPlaceholder = "{tenant}";

}  // namespace

Result<PathPattern> PathPattern::parse(std::string_view pattern) {
    if (pattern.empty() || pattern.front() != '/') return Error{"must start with '/'"};
    const auto at = pattern.find(kPlaceholder);
    if (at == std::string_view::npos) return Error{"must contain \"{tenant}\""};
    const std::string_view before = pattern.substr(0, at);
    std::string_view after = pattern.substr(at + kPlaceholder.size());
    if (after.find(kPlaceholder) != std::string_view::npos) {
        return Error{"must contain \"{tenant}\" exactly once"};
    }
    if (before.back() != '/' || (!after.empty() && after.front() != '/')) {
        return Error{"\"{tenant}\" must be a whole path segment"};
    }
    if (pattern.find_first_of("?#{}", 0) != at || after.find_first_of("?#{}") != after.npos) {
        return Error{"may not hold '?', '#', or braces other than \"{tenant}\""};
    }
    if (!after.empty() && after.back() == '/') after.remove_suffix(1);
    PathPattern parsed;
    parsed.pattern_ = pattern;
    parsed.before_ = before;
    parsed.after_ = after;
    return parsed;
}

bool PathPattern::match(std::string_view target, Match& match) const noexcept {
    if (target.substr(0, before_.size()) != before_) return false;
    const std::string_view from_tenant = target.substr(before_.size());
    const std::size_t tenant_end = std::min(from_tenant.find_first_of("/?"), from_tenant.size());
    if (tenant_end == 0) return false;
    const std::string_view rest = from_tenant.substr(tenant_end);
    if (rest.substr(0, after_.size()) != after_) return false;
    const std::string_view remainder = rest.substr(after_.size());
    // "/t/{tenant}/api" must not match "/t/acme/apiary": the literal ends at a segment boundary.
    if (!remainder.empty() && remainder.front() != '/' && remainder.front() != '?') return false;
    match = {from_tenant.substr(0, tenant_end), remainder};
    return true;
}

}  // namespace switchyard::routing
