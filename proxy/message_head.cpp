#include "proxy/message_head.hpp"

namespace switchyard::proxy {
namespace http = boost::beast::http;

namespace {

void append_version(std::string& out, unsigned version) {
    out += "HTTP/";
    out += static_cast<char>('0' + version / 10);
    out += '.';
    out += static_cast<char>('0' + version % 10);
}

void append_fields(const http::fields& fields, std::string& out) {
    for (const auto& field : fields) {
        const auto name = field.name_string();
        const auto value = field.value();
        out.append(name.data(), name.size());
        out += ": ";
        out.append(value.data(), value.size());
        out += "\r\n";
    }
    out += "\r\n";
}

}  // namespace

void write_head(const http::request_header<>& request, std::string& out) {
    out.clear();
    const auto method = request.method_string();
    const auto target = request.target();
    out.append(method.data(), method.size());
    out += ' ';
    out.append(target.data(), target.size());
    out += ' ';
    append_version(out, request.version());
    out += "\r\n";
    append_fields(request, out);
}

void write_head(const http::response_header<>& response, std::string& out) {
    out.clear();
    append_version(out, response.version());
    const unsigned status = response.result_int();
    out += ' ';
    out += static_cast<char>('0' + status / 100 % 10);
    out += static_cast<char>('0' + status / 10 % 10);
    out += static_cast<char>('0' + status % 10);
    out += ' ';
    const auto reason = response.reason();
    out.append(reason.data(), reason.size());
    out += "\r\n";
    append_fields(response, out);
}

}  // namespace switchyard::proxy
