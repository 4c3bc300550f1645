#pragma once
// What the proxy asks before forwarding a tenant's unsafe request to the new side: make the
// closing of its one-way door durable first (ARCHITECTURE.md invariant 3). The proxy only
// knows this interface; the app wires it to the door journal.
#include <functional>
#include <string_view>

#include "common/result.hpp"

namespace switchyard::routing {

struct DoorClosingRequest {
    std::string_view tenant;
    std::string_view request_id;
    std::string_view method;
    std::string_view path;
};

class DoorGate {
  public:
    // nullptr once durable (the request may go), or why it is not (it must not).
    using Done = std::function<void(const Error*)>;
    virtual ~DoorGate() = default;
    // `done` may run on another thread, or at once when the door is already closed.
    virtual void close_before_forwarding(const DoorClosingRequest& request, Done done) = 0;
};

}  // namespace switchyard::routing
