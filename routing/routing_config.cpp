#include "routing/routing_config.hpp"

#include <algorithm>

#include "routing/ascii.hpp"

namespace switchyard::routing {

bool Route::matches(std::string_view path, std::string_view request_host) const noexcept {
    return path.starts_with(prefix) && (host.empty() || ascii_iequals(request_host, host));
}

bool RoutingConfig::is_safe_method(std::string_view method) const noexcept {
    return std::find(safe_methods.begin(), safe_methods.end(), method) != safe_methods.end();
}

std::size_t RoutingConfig::find_route(std::string_view path, std::string_view host) const noexcept {
    for (std::size_t i = 0; i < routes.size(); ++i) {
        if (routes[i].matches(path, host)) return i;
    }
    return routes.size();
}

}  // namespace switchyard::routing
