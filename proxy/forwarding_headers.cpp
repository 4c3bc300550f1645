#include "proxy/forwarding_headers.hpp"

#include <boost/container/small_vector.hpp>

#include "routing/ascii.hpp"

namespace switchyard::proxy {
namespace http = boost::beast::http;

namespace {

// Not in Beast's field enum: matched by name (case-insensitive).
constexpr std::string_view kForwardedFor = "X-Forwarded-For";
constexpr std::string_view kForwardedProto = "X-Forwarded-Proto";
constexpr std::string_view kForwardedHost = "X-Forwarded-Host";
constexpr std::string_view kRequestId = "X-Request-Id";
constexpr std::string_view kVia = "1.1 switchyard";

using Values = boost::container::small_vector<std::string_view, 4>;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// What one pass over a message's fields finds, before any is written. The views point into the
// message, which is not changed while they live.
struct Seen {
    Values connection_listed;  // field names listed in Connection: hop-by-hop too (§7.6.1)
    Values forwarded_for;      // every X-Forwarded-For value, in order
    Values via;                // every Via value, in order
    std::string_view host;
    bool request_id = false;
};

void collect_connection_tokens(std::string_view value, Values& listed) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        const auto token = trim(value.substr(0, comma));
        if (!token.empty() && !routing::ascii_iequals(token, "close") &&
            !routing::ascii_iequals(token, "keep-alive"))
            listed.push_back(token);
        value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    }
}

template <typename Fields>
Seen look_at(const Fields& fields) {
    Seen seen;
    for (const auto& field : fields) {
        switch (field.name()) {
            case http::field::connection:
                collect_connection_tokens(field.value(), seen.connection_listed);
                break;
            case http::field::via:
                seen.via.push_back(field.value());
                break;
            case http::field::host:
                if (seen.host.empty()) seen.host = field.value();
                break;
            default:
                if (routing::ascii_iequals(field.name_string(), kForwardedFor)) {
                    seen.forwarded_for.push_back(field.value());
                } else if (routing::ascii_iequals(field.name_string(), kRequestId)) {
                    seen.request_id = true;
                }
        }
    }
    return seen;
}

// Fields that must not cross a hop (RFC 9110 §7.6.1), plus Transfer-Encoding/Trailer: framing is
// redone for the next hop.
template <typename Field>
bool hop_by_hop(const Field& field, const Seen& seen) {
    switch (field.name()) {
        case http::field::connection:
        case http::field::keep_alive:
        case http::field::proxy_connection:
        case http::field::te:
        case http::field::trailer:
        case http::field::upgrade:
        case http::field::transfer_encoding:
            return true;
        default:
            break;
    }
    for (const auto name : seen.connection_listed) {
        if (routing::ascii_iequals(name, field.name_string())) return true;
    }
    return false;
}

void append(std::string& out, std::string_view text) { out.append(text.data(), text.size()); }

void append_field(std::string& out, std::string_view name, std::string_view value) {
    append(out, name);
    out += ": ";
    append(out, value);
    out += "\r\n";
}

// A list-valued field folded into one line, with our own element last.
void append_list_field(std::string& out, std::string_view name, const Values& earlier,
                       std::string_view ours) {
    append(out, name);
    out += ": ";
    for (const auto value : earlier) {
        append(out, value);
        out += ", ";
    }
    append(out, ours);
    out += "\r\n";
}

void append_version(std::string& out, unsigned version) {
    out += "HTTP/";
    out += static_cast<char>('0' + version / 10);
    out += '.';
    out += static_cast<char>('0' + version % 10);
}

}  // namespace

template <typename Fields>
void write_request_head(const http::request_header<Fields>& request, std::string_view target,
                        const ForwardedFor& forwarded, bool chunked, std::string& out) {
    out.clear();
    append(out, request.method_string());
    out += ' ';
    append(out, target);
    out += " HTTP/1.1\r\n";  // upstream keep-alive is HTTP/1.1's default: no Connection field

    const Seen seen = look_at(request);
    for (const auto& field : request) {
        if (hop_by_hop(field, seen) || field.name() == http::field::via) continue;
        const auto name = field.name_string();
        // Set by us below; a client's own value would be a spoofed one.
        if (routing::ascii_iequals(name, kForwardedFor) ||
            routing::ascii_iequals(name, kForwardedProto) ||
            routing::ascii_iequals(name, kForwardedHost) ||
            routing::ascii_iequals(name, kRequestId))
            continue;
        append_field(out, name, field.value());
    }
    append_list_field(out, kForwardedFor, seen.forwarded_for, forwarded.client_ip);
    append_field(out, kForwardedProto, forwarded.proto);
    if (!seen.host.empty()) append_field(out, kForwardedHost, seen.host);
    append_list_field(out, "Via", seen.via, kVia);
    append_field(out, kRequestId, forwarded.request_id);
    if (chunked) out += "Transfer-Encoding: chunked\r\n";
    out += "\r\n";
}

template <typename Fields>
void write_response_head(const http::response_header<Fields>& response, std::string_view request_id,
                         const ResponseFraming& framing, std::string& out) {
    out.clear();
    append_version(out, framing.version);
    const unsigned status = response.result_int();
    out += ' ';
    out += static_cast<char>('0' + status / 100 % 10);
    out += static_cast<char>('0' + status / 10 % 10);
    out += static_cast<char>('0' + status % 10);
    out += ' ';
    append(out, response.reason());
    out += "\r\n";

    const Seen seen = look_at(response);
    for (const auto& field : response) {
        if (hop_by_hop(field, seen) || field.name() == http::field::via) continue;
        append_field(out, field.name_string(), field.value());
    }
    append_list_field(out, "Via", seen.via, kVia);
    if (!seen.request_id) append_field(out, kRequestId, request_id);
    if (framing.version >= 11 && !framing.keep_alive) out += "Connection: close\r\n";
    if (framing.version < 11 && framing.keep_alive) out += "Connection: keep-alive\r\n";
    if (framing.chunked) out += "Transfer-Encoding: chunked\r\n";
    out += "\r\n";
}

template <typename Fields>
std::string_view find_header(const void* fields, std::string_view name) noexcept {
    const auto& f = *static_cast<const Fields*>(fields);
    auto it = f.find(name);
    return it == f.end() ? std::string_view{} : std::string_view(it->value());
}

// Compiled here once, for Beast's default fields (tests, error answers) and the proxy's own.
#define SWITCHYARD_HEAD_WRITERS(Fields)                                                       \
    template void write_request_head(const http::request_header<Fields>&, std::string_view,   \
                                     const ForwardedFor&, bool, std::string&);                \
    template void write_response_head(const http::response_header<Fields>&, std::string_view, \
                                      const ResponseFraming&, std::string&);                  \
    template std::string_view find_header<Fields>(const void*, std::string_view) noexcept;
SWITCHYARD_HEAD_WRITERS(http::fields)
SWITCHYARD_HEAD_WRITERS(ArenaFields)
#undef SWITCHYARD_HEAD_WRITERS

}  // namespace switchyard::proxy
