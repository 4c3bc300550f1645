#pragma once
// Closing a connection whose request was not read to its end (a 413, a malformed request):
// closing at once with unread bytes makes the kernel send a reset, and a client still sending
// its body may lose the answer we wrote (RFC 9112 §9.6). So: stop sending, read and drop what
// the client still sends for a bounded time and number of bytes, then close.
#include <chrono>
#include <cstddef>

#include "proxy/asio_types.hpp"

namespace switchyard::proxy {

struct Lingering {
    std::chrono::milliseconds for_at_most{2000};
    std::size_t bytes_at_most = 64u << 20;
};

asio::awaitable<void> close_lingering(beast::tcp_stream& stream, Lingering limits = {});

}  // namespace switchyard::proxy
