#include "dynamo/url.hpp"

#include <charconv>

namespace switchyard::dynamo {

std::string Url::host_header() const {
    const std::string name = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    const bool default_port = (tls() && port == 443) || (!tls() && port == 80);
    return default_port ? name : name + ":" + std::to_string(port);
}

Result<Url> parse_url(std::string_view text) {
    Url url;
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos) {
        return Error{"URL \"" + std::string(text) + "\" has no scheme: use http:// or https://"};
    }
    url.scheme = std::string(text.substr(0, scheme_end));
    if (url.scheme != "http" && url.scheme != "https") {
        return Error{"URL \"" + std::string(text) + "\": scheme must be http or https"};
    }
    auto rest = text.substr(scheme_end + 3);
    const auto path_start = rest.find('/');
    auto authority = rest.substr(0, path_start);
    url.target = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
    url.port = url.tls() ? 443 : 80;

    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos)
            return Error{"URL \"" + std::string(text) + "\": bad IPv6 host"};
        url.host = std::string(authority.substr(1, close - 1));
        if (close + 1 < authority.size() && authority[close + 1] == ':') {
            port_text = authority.substr(close + 2);
        }
    } else {
        const auto colon = authority.rfind(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    }
    if (url.host.empty()) return Error{"URL \"" + std::string(text) + "\" has no host"};
    if (!port_text.empty()) {
        unsigned port = 0;
        const auto [end, error] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
            port > 65535) {
            return Error{"URL \"" + std::string(text) + "\": bad port"};
        }
        url.port = static_cast<std::uint16_t>(port);
    }
    return url;
}

}  // namespace switchyard::dynamo
