#pragma once
// The Asio/Beast vocabulary of proxy/ internals. Only proxy .cpp files and internal headers
// include this; the public proxy headers (server.hpp, settings.hpp) stay Boost-free.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <string>

namespace switchyard::proxy {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// A worker's operations and coroutines name the io_context's own executor type. Asio's default,
// any_io_executor, is type-erased: every operation copied, compared and destroyed it through
// function pointers (~4% of the proxy's CPU under load; bench/RESULTS.md).
using Executor = asio::io_context::executor_type;
template <typename T = void>
using Awaitable = asio::awaitable<T, Executor>;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Acceptor = asio::basic_socket_acceptor<tcp, Executor>;
using SteadyTimer =
    asio::basic_waitable_timer<std::chrono::steady_clock,
                               asio::wait_traits<std::chrono::steady_clock>, Executor>;

// Errors as values: every await site branches on its error code. `co_await op(use_tuple)` awaits
// a deferred operation, which Asio runs straight from the awaiting frame; use_awaitable would
// first start a coroutine frame of its own for every operation (~3.5 frame allocations a
// proxied request under load, where Asio's small frame cache no longer keeps up).
constexpr auto use_tuple = asio::as_tuple(asio::deferred);
// The admin listener is not on the request path: it keeps Asio's default executor.
constexpr auto use_tuple_any_executor = asio::as_tuple(asio::use_awaitable);

// "127.0.0.1:8080", "[::1]:8080": how listeners are reported (logs, ready file).
inline std::string format_endpoint(const tcp::endpoint& endpoint) {
    const auto address = endpoint.address();
    return address.is_v6() ? "[" + address.to_string() + "]:" + std::to_string(endpoint.port())
                           : address.to_string() + ":" + std::to_string(endpoint.port());
}

}  // namespace switchyard::proxy
