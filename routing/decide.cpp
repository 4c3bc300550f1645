#include "routing/decide.hpp"

#include "flags/percent.hpp"
#include "flags/resolve.hpp"
#include "routing/host_pattern.hpp"

namespace switchyard::routing {
namespace {

// Routes match on the path: the query is not part of a prefix.
std::string_view path_of(std::string_view target) noexcept {
    return target.substr(0, target.find('?'));
}

void decide_for_tenant(const Snapshot& snapshot, const Route& route, const RequestView& request,
                       Decision& decision) {
    const RoutingConfig& config = *snapshot.routing;
    stripped_target(config.tenant_key, request.target, decision.upstream_target,
                    decision.rewritten_target);
    if (!decision.rewritten_target.empty()) decision.upstream_target = {};
    if (!extract_tenant(config.tenant_key, request, decision.tenant)) {
        decision.why = Why::no_tenant;
        decision.side = route.no_tenant == NoTenant::new_ ? Side::new_ : Side::legacy;
        decision.reject = route.no_tenant == NoTenant::reject;
        return;
    }
    const auto resolution = resolve_tenant(snapshot, decision.tenant);
    decision.stage = resolution.stage;
    decision.why = resolution.why;
    decision.side = side_for(decision.stage, decision.unsafe_method);
}

}  // namespace

flags::Resolution resolve_tenant(const Snapshot& snapshot, std::string_view tenant) noexcept {
    // No flag document yet means the empty one: everyone on legacy.
    auto resolution = snapshot.flags ? flags::resolve(*snapshot.flags, tenant) : flags::Resolution{};
    // A closed door holds the tenant on new whatever the flags say (ARCHITECTURE.md, the
    // one-way door): only a forced move, which reopens the door, sends it back.
    if (resolution.stage < Stage::new_ && snapshot.doors && snapshot.doors->closed(tenant)) {
        resolution = {Stage::new_, Why::held_by_door};
    }
    return resolution;
}

Side side_for(Stage stage, bool unsafe_method) noexcept {
    switch (stage) {
        case Stage::legacy:
        case Stage::shadow:  // the shadow copy to new is the proxy's job, not the route's
            return Side::legacy;
        case Stage::reads:
            return unsafe_method ? Side::legacy : Side::new_;
        case Stage::new_:
        case Stage::final_:
            return Side::new_;
    }
    return Side::legacy;
}

Decision decide(const Snapshot& snapshot, const RequestView& request,
                std::uint64_t random) noexcept {
    Decision decision;
    decision.upstream_target = request.target;
    if (!snapshot.routing) {
        decision.why = Why::no_route;
        return decision;
    }
    const RoutingConfig& config = *snapshot.routing;
    decision.unsafe_method = !config.is_safe_method(request.method);
    decision.route_index =
        config.find_route(path_of(request.target), host_without_port(request.host));
    if (decision.route_index == config.routes.size()) {
        decision.why = Why::no_route;
        return decision;
    }
    const Route& route = config.routes[decision.route_index];
    decision.policy = route.policy;
    switch (route.policy) {
        case Policy::pinned:
            decision.side = route.side;
            decision.why = Why::pinned_route;
            break;
        case Policy::weighted:
            decision.side = random % flags::kHundredthsInWhole < route.new_percent_hundredths
                                ? Side::new_
                                : Side::legacy;
            decision.why = Why::weighted;
            break;
        case Policy::tenant:
            decide_for_tenant(snapshot, route, request, decision);
            break;
    }
    return decision;
}

}  // namespace switchyard::routing
