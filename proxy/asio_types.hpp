#pragma once
// The Asio/Beast vocabulary of proxy/ internals. Only proxy .cpp files and internal headers
// include this; the public proxy headers (server.hpp, settings.hpp) stay Boost-free.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <string>

namespace switchyard::proxy {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// Errors as values: every await site branches on its error code.
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// "127.0.0.1:8080", "[::1]:8080": how listeners are reported (logs, ready file).
inline std::string format_endpoint(const tcp::endpoint& endpoint) {
    const auto address = endpoint.address();
    return address.is_v6() ? "[" + address.to_string() + "]:" + std::to_string(endpoint.port())
                           : address.to_string() + ":" + std::to_string(endpoint.port());
}

}  // namespace switchyard::proxy
