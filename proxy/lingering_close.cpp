#include "proxy/lingering_close.hpp"

#include <array>

namespace switchyard::proxy {

asio::awaitable<void> close_lingering(beast::tcp_stream& stream, Lingering limits) {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(limits.for_at_most);
    std::array<char, 16 * 1024> sink;
    std::size_t dropped = 0;
    while (dropped < limits.bytes_at_most) {
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple_any_executor);
        if (ec) break;  // the client closed (eof), or the time is up
        dropped += n;
    }
    stream.socket().close(ignored);
}

}  // namespace switchyard::proxy
