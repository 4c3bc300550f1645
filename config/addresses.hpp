#pragma once
// "host:port" listen addresses and "http://host:port" upstream URLs.
#include <optional>
#include <string>
#include <string_view>

#include "proxy/settings.hpp"

namespace switchyard::config {

// "0.0.0.0:8080", "[::1]:0". Returns nullopt with `why` filled when malformed.
std::optional<proxy::ListenAddress> parse_listen_address(std::string_view text, std::string& why);

// "http://127.0.0.1:9001" (path must be empty or "/"). https comes with TLS upstreams.
std::optional<proxy::UpstreamUrl> parse_upstream_url(std::string_view text, std::string& why);

}  // namespace switchyard::config
