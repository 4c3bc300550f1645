#pragma once
// One accepted connection of a TestOrigin: reads requests, records them, answers as scripted.
// Private to test_origin.cpp and origin_session.cpp (names Asio types).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "origin_reply.hpp"
#include "recorded_request.hpp"

namespace switchyard::test::detail {

// What a session needs from its origin; every callback is thread-safe on the origin's side.
struct OriginCallbacks {
    std::function<void(const RecordedRequest&)> arrived;   // header read, body not yet
    std::function<OriginReply(RecordedRequest)> received;  // body read: record, pick the reply
    std::function<std::uint64_t()> body_read_rate;         // bytes/s for request bodies; 0: unpaced
};

// `socket` stays owned by the caller, which tracks it to close it when the origin stops.
boost::asio::awaitable<void> serve_connection(boost::asio::ip::tcp::socket& socket,
                                              std::size_t connection_index,
                                              OriginCallbacks callbacks);

}  // namespace switchyard::test::detail
