#include "proxy/upstream_pool.hpp"

#include <sys/socket.h>

#include "stats/worker_gauges.hpp"

namespace switchyard::proxy {

namespace {

std::size_t index_of(Side side) { return side == Side::legacy ? 0 : 1; }

// A pooled connection is usable only if the peer has neither closed it nor sent anything
// unsolicited: one non-blocking peek, cheaper than a failed request.
bool looks_alive(UpstreamConnection& connection) {
    auto& socket = connection.stream.socket();
    char byte;
    const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

UpstreamConnection::~UpstreamConnection() {
    if (gauges) gauges->upstream_closed(side);
}

UpstreamPool::UpstreamPool(asio::io_context& context, Watchdog& watchdog, BufferPool& buffers,
                           const ResolvedBackends& backends, const Limits& limits,
                           std::chrono::milliseconds idle_timeout, stats::WorkerGauges* gauges)
    : context_(context),
      watchdog_(watchdog),
      buffers_(buffers),
      backends_(backends),
      limits_(limits),
      idle_timeout_(idle_timeout),
      gauges_(gauges) {
    idle_[0].resize(backends.legacy.size());
    idle_[1].resize(backends.new_side.size());
}

std::unique_ptr<UpstreamConnection> UpstreamPool::take_idle(Side side, std::size_t backend,
                                                            bool replayable) {
    auto& idle = idle_[index_of(side)][backend];
    const auto now = std::chrono::steady_clock::now();
    while (!idle.empty()) {
        auto connection = std::move(idle.back());
        idle.pop_back();
        const auto idle = now - connection->idle_since;
        // Backends close idle connections after seconds, not milliseconds: a connection used a
        // moment ago is alive, and if not, a replayable request is retried on a fresh one.
        const bool check = !replayable || idle >= kCheckAfterIdle;
        if (idle < idle_timeout_ && (!check || looks_alive(*connection))) {
            connection->reused = true;
            publish_idle(side);
            return connection;
        }
        beast::error_code ignored;
        connection->stream.socket().close(ignored);
    }
    publish_idle(side);
    return nullptr;
}

UpstreamPool::Pick UpstreamPool::pick(Side side, bool replayable) {
    const auto count = backends_.of(side).size();
    auto& next = next_backend_[index_of(side)];
    const auto backend = next++ % count;
    return {backend, take_idle(side, backend, replayable)};
}

Awaitable<ConnectResult> UpstreamPool::reconnect(const UpstreamConnection& stale,
                                                 std::chrono::milliseconds connect_timeout) {
    co_return co_await connect(stale.side, stale.backend, connect_timeout);
}

Awaitable<ConnectResult> UpstreamPool::connect(Side side, std::size_t backend,
                                               std::chrono::milliseconds timeout) {
    auto connection = std::make_unique<UpstreamConnection>(context_, watchdog_, buffers_);
    connection->side = side;
    connection->backend = backend;
    connection->stream.expires_after(timeout);
    auto [ec] = co_await connection->stream.async_connect(backends_.of(side)[backend], use_tuple);
    if (ec) {
        const bool timeout = ec == beast::error::timeout;
        if (gauges_) {
            gauges_->connect_failed(
                side, timeout ? stats::ConnectError::timeout : stats::ConnectError::refused);
        }
        co_return ConnectResult{nullptr,
                                timeout ? ConnectFailure::timeout : ConnectFailure::refused, ec};
    }
    if (gauges_) {
        gauges_->upstream_opened(side);
        connection->gauges = gauges_;
    }
    // Small request/response writes must not wait for Nagle's delayed ACK.
    connection->stream.socket().set_option(tcp::no_delay(true), ec);
    co_return ConnectResult{std::move(connection), ConnectFailure::none, {}};
}

void UpstreamPool::release(std::unique_ptr<UpstreamConnection> connection) {
    // Bytes after the answer belong to no request: parsed later, they would desync the next one.
    if (connection->buffer.size() > 0) return;  // closed as it goes out of scope
    auto& idle = idle_[index_of(connection->side)][connection->backend];
    if (idle.size() >= limits_.max_idle_upstream_per_backend) {
        // Bounded: drop the oldest rather than grow without limit.
        beast::error_code ignored;
        idle.front()->stream.socket().close(ignored);
        idle.erase(idle.begin());
    }
    connection->stream.expires_never();
    connection->idle_since = std::chrono::steady_clock::now();
    const auto side = connection->side;
    idle.push_back(std::move(connection));
    publish_idle(side);
}

void UpstreamPool::close_all() {
    for (auto& side : idle_) {
        for (auto& backend : side) {
            for (auto& connection : backend) {
                beast::error_code ignored;
                connection->stream.socket().close(ignored);
            }
            backend.clear();
        }
    }
    publish_idle(Side::legacy);
    publish_idle(Side::new_);
}

void UpstreamPool::publish_idle(Side side) {
    if (!gauges_) return;
    std::int64_t idle = 0;
    for (const auto& backend : idle_[index_of(side)])
        idle += static_cast<std::int64_t>(backend.size());
    gauges_->set_upstream_idle(side, idle);
}

std::size_t UpstreamPool::idle_count() const {
    std::size_t total = 0;
    for (const auto& side : idle_)
        for (const auto& backend : side) total += backend.size();
    return total;
}

}  // namespace switchyard::proxy
