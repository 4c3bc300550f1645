#include "config/addresses.hpp"

#include <charconv>

namespace switchyard::config {
namespace {

// Splits "host:port" / "[v6]:port"; the port is required.
bool split_host_port(std::string_view text, std::string& host, std::uint16_t& port,
                     std::string& why) {
    std::string_view port_text;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            why = "expected [ipv6]:port";
            return false;
        }
        host = std::string(text.substr(1, close - 1));
        port_text = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos || text.find(':') != colon) {
            why = "expected host:port (IPv6 addresses in brackets)";
            return false;
        }
        host = std::string(text.substr(0, colon));
        port_text = text.substr(colon + 1);
    }
    if (host.empty()) {
        why = "missing host";
        return false;
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || value > 65535) {
        why = "port must be a number from 0 to 65535";
        return false;
    }
    port = static_cast<std::uint16_t>(value);
    return true;
}

}  // namespace

std::optional<proxy::ListenAddress> parse_listen_address(std::string_view text, std::string& why) {
    proxy::ListenAddress address;
    if (!split_host_port(text, address.host, address.port, why)) return std::nullopt;
    return address;
}

std::optional<proxy::UpstreamUrl> parse_upstream_url(std::string_view text, std::string& why) {
    constexpr std::string_view kHttp = "http://";
    if (text.substr(0, 8) == "https://") {
        why = "https upstreams are not supported yet; use http:// inside the VPC";
        return std::nullopt;
    }
    if (text.substr(0, kHttp.size()) != kHttp) {
        why = "must start with http://";
        return std::nullopt;
    }
    auto rest = text.substr(kHttp.size());
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
        if (rest.substr(slash) != "/") {
            why = "a path prefix on an upstream URL is not supported";
            return std::nullopt;
        }
        rest = rest.substr(0, slash);
    }
    proxy::UpstreamUrl url;
    if (rest.find(':') == std::string_view::npos || (rest.front() == '[' && rest.back() == ']')) {
        url.host = std::string(rest.front() == '[' ? rest.substr(1, rest.size() - 2) : rest);
        url.port = 80;
    } else if (!split_host_port(rest, url.host, url.port, why)) {
        return std::nullopt;
    }
    if (url.port == 0) {
        why = "upstream port must not be 0";
        return std::nullopt;
    }
    url.host_header = std::string(rest);
    return url;
}

}  // namespace switchyard::config
