#pragma once
// Bytes on a socket, for the messages a client library refuses to send (oversized or malformed
// requests) and for watching exactly what comes back. Plain POSIX; every read bounded.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard::test {

class RawConnection {
  public:
    // Connects to host:port; check connected() (and error()) before use.
    explicit RawConnection(std::uint16_t port, std::string host = "127.0.0.1");
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    bool connected() const noexcept { return fd_ >= 0; }
    const std::string& error() const noexcept { return error_; }

    bool send(std::string_view bytes);
    // Reads until `marker` has arrived (true), or the peer closes or the timeout passes (false).
    bool read_until(std::string_view marker, std::chrono::milliseconds timeout);
    // Reads until the peer closes (true) or the timeout passes (false).
    bool read_until_close(std::chrono::milliseconds timeout);
    bool peer_closed() const noexcept { return peer_closed_; }
    // Everything received so far.
    const std::string& received() const noexcept { return received_; }
    void shutdown_write();
    void close();

  private:
    // One bounded read; false when nothing more can come (closed, error or timeout).
    bool read_some(std::chrono::steady_clock::time_point deadline);

    int fd_ = -1;
    bool peer_closed_ = false;
    std::string error_;
    std::string received_;
};

// Sends `bytes` on a fresh connection and returns all that comes back until the peer closes
// or `timeout` passes.
std::string raw_exchange(std::uint16_t port, std::string_view bytes,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

// The status code of the first HTTP response in `bytes` ("HTTP/1.1 431 ..." -> 431), or 0.
int status_of(std::string_view bytes);

}  // namespace switchyard::test
