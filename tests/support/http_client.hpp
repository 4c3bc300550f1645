#pragma once
// A small synchronous HTTP/1.1 client for tests: one request at a time on a keep-alive
// connection, every step bounded by the request's timeout. Bodies may be generated and counted
// on the fly, so a test can move 256 MiB without holding it. Beast lives in the .cpp.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "header_list.hpp"

namespace switchyard::test {

struct ClientRequest {
    std::string method = "GET";
    std::string target = "/";
    HeaderList headers;  // Host is added when absent
    std::string body;
    std::uint64_t generated_body_bytes = 0;    // when set: send that many pattern bytes instead
    bool chunked = false;                      // chunked transfer coding instead of Content-Length
    bool expect_continue = false;              // Expect: 100-continue; the body waits for the 100
    bool keep_body = true;                     // false: only count and digest the response body
    std::uint64_t read_bytes_per_second = 0;   // read the response body no faster; 0: unpaced
    std::chrono::milliseconds timeout{10000};  // the whole exchange

    static ClientRequest make(std::string method, std::string target, HeaderList headers = {},
                              std::string body = {}) {
        ClientRequest request;
        request.method = std::move(method);
        request.target = std::move(target);
        request.headers = std::move(headers);
        request.body = std::move(body);
        return request;
    }
};

struct ClientResponse {
    int status = 0;  // 0 when the exchange failed
    HeaderList headers;
    std::string body;  // empty when keep_body was false
    std::uint64_t body_bytes = 0;
    std::uint64_t body_digest = 0;      // BodyDigest of the body
    std::vector<int> interim_statuses;  // 1xx answers before the final one (100 Continue)
    bool keep_alive = false;
    std::string error;  // what failed ("connect: Connection refused"); empty on success

    bool ok() const noexcept { return error.empty(); }
    std::string describe() const;  // status, headers, body start or error, for failure messages
};

class HttpClient {
  public:
    explicit HttpClient(std::uint16_t port, std::string host = "127.0.0.1");
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Connects when not connected; keeps the connection when the server keeps it.
    ClientResponse request(const ClientRequest& request);
    ClientResponse get(std::string target, HeaderList headers = {});

    bool connected() const noexcept;
    void close() noexcept;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One request on a fresh connection, closed afterwards.
ClientResponse http_request(std::uint16_t port, std::string method, std::string target,
                            HeaderList headers = {}, std::string body = {});

}  // namespace switchyard::test
