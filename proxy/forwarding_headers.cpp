#include "proxy/forwarding_headers.hpp"

#include <boost/container/small_vector.hpp>
#include <string>

#include "routing/ascii.hpp"

namespace switchyard::proxy {
namespace http = boost::beast::http;

namespace {

// Not in Beast's field enum: looked up by name (case-insensitive).
constexpr std::string_view kForwardedFor = "X-Forwarded-For";
constexpr std::string_view kForwardedProto = "X-Forwarded-Proto";
constexpr std::string_view kForwardedHost = "X-Forwarded-Host";
constexpr std::string_view kRequestId = "X-Request-Id";

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Joins every occurrence of a list-valued field (they may be split across lines).
template <typename Name>
std::string joined_values(const http::fields& fields, Name name) {
    std::string joined;
    auto [first, last] = fields.equal_range(name);
    for (auto it = first; it != last; ++it) {
        if (!joined.empty()) joined += ", ";
        joined += it->value();
    }
    return joined;
}

}  // namespace

void remove_hop_by_hop(http::fields& fields) {
    // Names listed in Connection are hop-by-hop too; collect before erasing (RFC 9110 §7.6.1).
    boost::container::small_vector<std::string, 4> listed;
    auto [first, last] = fields.equal_range(http::field::connection);
    for (auto it = first; it != last; ++it) {
        std::string_view value = it->value();
        while (!value.empty()) {
            const auto comma = value.find(',');
            const auto token = trim(value.substr(0, comma));
            if (!token.empty() && !routing::ascii_iequals(token, "close") &&
                !routing::ascii_iequals(token, "keep-alive"))
                listed.emplace_back(token);
            value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
        }
    }
    for (const auto& name : listed) fields.erase(name);
    for (auto field : {http::field::connection, http::field::keep_alive,
                       http::field::proxy_connection, http::field::te, http::field::trailer,
                       http::field::upgrade, http::field::transfer_encoding}) {
        fields.erase(field);
    }
}

void add_forwarding_headers(http::fields& fields, const ForwardedFor& forwarded) {
    std::string xff = joined_values(fields, kForwardedFor);
    if (!xff.empty()) xff += ", ";
    xff += forwarded.client_ip;
    fields.set(kForwardedFor, xff);

    fields.set(kForwardedProto, forwarded.proto);
    if (auto host = fields.find(http::field::host); host != fields.end()) {
        fields.set(kForwardedHost, host->value());
    }

    std::string via = joined_values(fields, http::field::via);
    if (!via.empty()) via += ", ";
    via += "1.1 switchyard";
    fields.set(http::field::via, via);

    fields.set(kRequestId, forwarded.request_id);
}

std::string_view find_header(const void* fields, std::string_view name) noexcept {
    const auto& f = *static_cast<const http::fields*>(fields);
    auto it = f.find(name);
    return it == f.end() ? std::string_view{} : std::string_view(it->value());
}

}  // namespace switchyard::proxy
