#pragma once
// A synchronous HTTP/1.1 client for the admin API: one request per connection (a CLI makes one
// or two), plain http only, every step bounded. Beast lives in the .cpp; this header speaks
// plain types.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace switchyard::ctl {

struct AdminUrl {
    std::string host;  // "127.0.0.1", "localhost", "::1" (no brackets)
    std::uint16_t port = 80;
    std::string base_path;  // "" or "/prefix" (behind a path-routing reverse proxy)

    std::string text() const;  // "http://127.0.0.1:9901", for messages
};

// "http://host[:port][/prefix]"; "host:port" alone is taken as http. https is refused: the
// admin API listens on loopback and speaks plain http.
Result<AdminUrl> parse_admin_url(std::string_view text);

// For a path segment or a query value: everything but RFC 3986 unreserved characters as %XX.
std::string percent_encode(std::string_view text);

struct AdminCall {
    std::string method = "GET";
    std::string target;  // path and query below the base path, e.g. "/v1/tenants?limit=10"
    std::string body;    // JSON; empty: none
    std::string if_match;
};

struct AdminAnswer {
    unsigned status = 0;
    std::string body;
    std::string etag;
    std::string request_id;
};

struct ClientTimeouts {
    std::chrono::milliseconds connect{3000};
    std::chrono::milliseconds exchange{10000};  // writing the request and reading the answer
};

class AdminClient {
  public:
    AdminClient(AdminUrl url, std::string token, ClientTimeouts timeouts = {});

    // An Error only when no HTTP answer came back; its message names the step that failed
    // ("connect: Connection refused"). Never contains the token.
    Result<AdminAnswer> call(const AdminCall& call) const;
    const AdminUrl& url() const noexcept { return url_; }
    bool has_token() const noexcept { return !token_.empty(); }

  private:
    AdminUrl url_;
    std::string token_;
    ClientTimeouts timeouts_;
};

}  // namespace switchyard::ctl
