#pragma once
// Header rewriting at the proxy boundary (RFC 9110 §7.6): what must not cross a hop, and what a
// reverse proxy adds so the backend knows who asked.
#include <string_view>

#include <boost/beast/http/fields.hpp>

namespace switchyard::proxy {

// Removes Connection, every field it names, and the fixed hop-by-hop set (RFC 9110 §7.6.1),
// plus Transfer-Encoding/Trailer: framing is redone by our serializer.
void remove_hop_by_hop(boost::beast::http::fields& fields);

struct ForwardedFor {
    std::string_view client_ip;
    std::string_view proto;       // "http" or "https"
    std::string_view request_id;
};

// Appends X-Forwarded-For and Via, sets X-Forwarded-Proto, X-Forwarded-Host, X-Request-Id.
void add_forwarding_headers(boost::beast::http::fields& fields, const ForwardedFor& forwarded);

// routing::HeaderLookup over Beast fields: case-insensitive, no copy.
std::string_view find_header(const void* fields, std::string_view name) noexcept;

}  // namespace switchyard::proxy
