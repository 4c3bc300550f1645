#pragma once
// What decide() may look at: plain views over the request being routed, no Beast types.
#include <string_view>

namespace switchyard::routing {

// Header lookup without copying: the proxy passes a function over its own header container.
struct HeaderLookup {
    const void* context = nullptr;
    std::string_view (*find)(const void* context, std::string_view name) noexcept = nullptr;

    std::string_view operator()(std::string_view name) const noexcept {
        return find ? find(context, name) : std::string_view{};
    }
};

struct RequestView {
    std::string_view method;  // "GET", "POST", …
    std::string_view target;  // origin-form: "/t/acme/orders?x=1"
    std::string_view host;    // Host header, port included if the client sent one
    HeaderLookup headers;
};

}  // namespace switchyard::routing
