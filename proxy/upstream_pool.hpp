#pragma once
// Per-worker pools of idle keep-alive connections to each backend. Owned by one thread: no locks.
#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

#include "common/stage.hpp"
#include "proxy/asio_types.hpp"
#include "proxy/buffer_pool.hpp"
#include "proxy/deadline_stream.hpp"
#include "proxy/settings.hpp"

namespace switchyard::stats {
class WorkerGauges;
}

namespace switchyard::proxy {

struct UpstreamConnection {
    UpstreamConnection(asio::io_context& context, Watchdog& watchdog, BufferPool& buffers)
        : stream(context, watchdog), buffer(PoolAllocator<char>(buffers)) {}
    ~UpstreamConnection();  // counted out of the open connections gauge, if it was counted in
    UpstreamConnection(const UpstreamConnection&) = delete;
    UpstreamConnection& operator=(const UpstreamConnection&) = delete;

    DeadlineStream stream;
    PooledFlatBuffer buffer;  // empty between answers: a connection with unread bytes is dropped
    Side side = Side::legacy;
    std::size_t backend = 0;
    bool reused = false;  // came from the idle pool: the peer may have closed it meanwhile
    std::chrono::steady_clock::time_point idle_since;
    stats::WorkerGauges* gauges = nullptr;  // set once connected: the gauge counts it
};

struct ResolvedBackends {
    std::vector<tcp::endpoint> legacy;
    std::vector<tcp::endpoint> new_side;
    const std::vector<tcp::endpoint>& of(Side side) const {
        return side == Side::legacy ? legacy : new_side;
    }
};

enum class ConnectFailure { none, refused, timeout };

struct ConnectResult {
    std::unique_ptr<UpstreamConnection> connection;
    ConnectFailure failure = ConnectFailure::none;
    beast::error_code error;
};

class UpstreamPool {
  public:
    // A connection idle this long may have been closed by its backend: checked before reuse.
    static constexpr std::chrono::milliseconds kCheckAfterIdle{1000};

    // `gauges` (may be null): this worker's open/idle connection gauges and connect errors.
    UpstreamPool(asio::io_context& context, Watchdog& watchdog, BufferPool& buffers,
                 const ResolvedBackends& backends, const Limits& limits,
                 std::chrono::milliseconds idle_timeout, stats::WorkerGauges* gauges);

    // The next backend of `side` (round robin), with an idle connection to it if one is pooled:
    // no coroutine for the common case. Otherwise connect() to `backend`.
    // `replayable`: the request has no body, so a stale connection can be retried on a fresh
    // one after it fails; a connection idle for less than kCheckAfterIdle is then taken without
    // the liveness check (a syscall a request, otherwise).
    struct Pick {
        std::size_t backend = 0;
        std::unique_ptr<UpstreamConnection> idle;  // null: none pooled, connect
    };
    Pick pick(Side side, bool replayable);
    Awaitable<ConnectResult> connect(Side side, std::size_t backend,
                                     std::chrono::milliseconds timeout);
    // A fresh connection to the same backend, for one retry after a stale pooled connection.
    Awaitable<ConnectResult> reconnect(const UpstreamConnection& stale,
                                       std::chrono::milliseconds connect_timeout);
    // Only call with a connection whose last response was complete and keep-alive.
    void release(std::unique_ptr<UpstreamConnection> connection);
    void close_all();

    std::size_t idle_count() const;

  private:
    std::unique_ptr<UpstreamConnection> take_idle(Side side, std::size_t backend, bool replayable);
    void publish_idle(Side side);

    asio::io_context& context_;
    Watchdog& watchdog_;
    BufferPool& buffers_;
    const ResolvedBackends& backends_;
    const Limits& limits_;
    std::chrono::milliseconds idle_timeout_;
    stats::WorkerGauges* gauges_;
    std::size_t next_backend_[2] = {0, 0};
    // idle_[side][backend]: most recently used last, so reuse picks the warmest connection.
    std::vector<std::vector<std::unique_ptr<UpstreamConnection>>> idle_[2];
};

}  // namespace switchyard::proxy
