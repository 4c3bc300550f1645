#pragma once
// What the request path tells the statistics about one finished client request.
#include <chrono>
#include <cstddef>

#include "common/stage.hpp"

namespace switchyard::stats {

struct RequestSample {
    Side side = Side::legacy;     // the side that answered (or failed to)
    Stage stage = Stage::legacy;  // the tenant's stage; counted only when tenant_route
    bool tenant_route = false;    // false for weighted and pinned routes: they have no stage
    unsigned status = 0;          // sent to the client; 500-599 count as errors_5xx
    bool upstream_error = false;  // no usable answer from the backend (connect, reset, timeout)
    std::chrono::microseconds upstream_latency{0};  // request sent to backend answer complete
    std::chrono::microseconds total_latency{0};     // as the client waited, proxy included
    std::size_t route_index = 0;  // the route that matched (routing::Decision::route_index)
};

}  // namespace switchyard::stats
