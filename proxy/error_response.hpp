#pragma once
// The small JSON answers the proxy gives itself: errors (4xx/5xx) and its own health check.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>

namespace switchyard::proxy {

// {"error": code, "message": text, "request_id": id}
boost::beast::http::response<boost::beast::http::string_body> make_error_response(
    unsigned status, std::string_view code, std::string_view message, std::string_view request_id,
    bool keep_alive);

boost::beast::http::response<boost::beast::http::string_body> make_json_response(
    unsigned status, std::string body, std::string_view request_id, bool keep_alive);

}  // namespace switchyard::proxy
