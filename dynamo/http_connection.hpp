#pragma once
// One persistent HTTP/1.1 connection to one origin, synchronous, every step bounded by a
// deadline: what the DynamoDB client and the credentials endpoints speak over. HTTPS verifies the
// certificate chain against the system's roots and the host name, and sends SNI. Not
// thread-safe: one caller at a time (the client keeps a pool). Beast lives in the .cpp.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "dynamo/http_message.hpp"
#include "dynamo/url.hpp"

namespace switchyard::dynamo {

struct TransportError {
    enum class Kind { connect, tls, certificate, timeout, io };
    Kind kind = Kind::io;
    std::string message{};      // "connect to 127.0.0.1:8000: Connection refused"
    bool request_sent = false;  // the server may have acted on it
};

using HttpResult = Result<HttpResponse, TransportError>;

struct ConnectionOptions {
    std::chrono::milliseconds connect_timeout{2000};
    std::size_t max_response_bytes = 32 * 1024 * 1024;
    std::string ca_file{};  // empty: the system's default roots
};

class HttpConnection {
  public:
    explicit HttpConnection(Url origin, ConnectionOptions options = {});
    ~HttpConnection();
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    // Sends `request` and reads the answer within `timeout` (connecting first when needed). A
    // kept-alive connection the server closed meanwhile is reopened once, transparently.
    HttpResult exchange(const HttpRequest& request, std::chrono::milliseconds timeout);
    bool is_open() const noexcept;
    void close() noexcept;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_{};
};

}  // namespace switchyard::dynamo
