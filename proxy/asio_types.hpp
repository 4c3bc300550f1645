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

namespace switchyard::proxy {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// Errors as values: every await site branches on its error code.
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

}  // namespace switchyard::proxy
