#pragma once
// The heads switchyard sends on, rewritten at the proxy boundary (RFC 9110 §7.6) and written
// straight into one reused string: hop-by-hop fields are skipped, not erased, and the forwarding
// fields are appended as text, so a request costs no field allocation and no tree lookup, and the
// head goes out in one write with the first body bytes (Beast's serializer walked four buffers
// per field on every write: a third of the proxy's instructions).
#include <boost/beast/http/message.hpp>
#include <string>
#include <string_view>

#include "proxy/request_arena.hpp"

namespace switchyard::proxy {

struct ForwardedFor {
    std::string_view client_ip;
    std::string_view proto;  // "http" or "https"
    std::string_view request_id;
};

// The request as it goes to a backend, replacing `out`: "METHOD target HTTP/1.1", the client's
// fields less the hop-by-hop ones (Connection, every field it names, Keep-Alive,
// Proxy-Connection, TE, Trailer, Upgrade, Transfer-Encoding: RFC 9110 §7.6.1), X-Forwarded-For
// appended to (every earlier occurrence folded into one), X-Forwarded-Proto, X-Forwarded-Host and
// X-Request-Id set, Via appended to, and `Transfer-Encoding: chunked` when `chunked`.
template <typename Fields>
void write_request_head(const boost::beast::http::request_header<Fields>& request,
                        std::string_view target, const ForwardedFor& forwarded, bool chunked,
                        std::string& out);

struct ResponseFraming {
    unsigned version = 11;  // the client's: 10 or 11
    bool keep_alive = true;
    bool chunked = false;
};

// The response as it goes to the client, replacing `out`: the status line with the backend's
// reason phrase (or the standard one), its fields less the hop-by-hop ones, Via appended to,
// X-Request-Id added unless the backend set one, then Connection and Transfer-Encoding as
// `framing` needs (RFC 9112 §9.3: close for 1.1, keep-alive for 1.0).
template <typename Fields>
void write_response_head(const boost::beast::http::response_header<Fields>& response,
                         std::string_view request_id, const ResponseFraming& framing,
                         std::string& out);

// routing::HeaderLookup over Beast fields of type Fields: case-insensitive, no copy.
template <typename Fields = boost::beast::http::fields>
std::string_view find_header(const void* fields, std::string_view name) noexcept;

// The three are compiled for Beast's default fields and ArenaFields only (in the .cpp).

}  // namespace switchyard::proxy
