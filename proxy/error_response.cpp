#include "proxy/error_response.hpp"

#include "proxy/access_log.hpp"

namespace switchyard::proxy {
namespace http = boost::beast::http;

http::response<http::string_body> make_json_response(unsigned status, std::string body,
                                                     std::string_view request_id, bool keep_alive) {
    http::response<http::string_body> response{static_cast<http::status>(status), 11};
    response.set(http::field::content_type, "application/json");
    response.set(http::field::cache_control, "no-store");
    if (!request_id.empty()) response.set("X-Request-Id", request_id);
    response.body() = std::move(body);
    response.keep_alive(keep_alive);
    response.prepare_payload();
    return response;
}

http::response<http::string_body> make_error_response(unsigned status, std::string_view code,
                                                      std::string_view message,
                                                      std::string_view request_id,
                                                      bool keep_alive) {
    std::string body = "{\"error\":\"";
    append_json_escaped(body, code);
    body += "\",\"message\":\"";
    append_json_escaped(body, message);
    body += "\",\"request_id\":\"";
    append_json_escaped(body, request_id);
    body += "\"}\n";
    return make_json_response(status, std::move(body), request_id, keep_alive);
}

}  // namespace switchyard::proxy
