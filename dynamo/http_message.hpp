#pragma once
// An HTTP request and answer in plain types, as the client builds and reads them.
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/sigv4.hpp"

namespace switchyard::dynamo {

using HttpHeader = sigv4::Header;

struct HttpRequest {
    std::string method = "GET";
    std::string target = "/";
    std::vector<HttpHeader> headers{};  // Host is added when absent, Content-Length always
    std::string body{};
};

struct HttpResponse {
    int status = 0;
    std::vector<HttpHeader> headers{};
    std::string body{};

    std::string header(std::string_view name) const;  // case-insensitive; empty when absent
};

}  // namespace switchyard::dynamo
