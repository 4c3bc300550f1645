#pragma once
// One thread of the engine: its own io_context, listening sockets (SO_REUSEPORT), upstream pools
// and sessions. Nothing here is shared with another worker; the only cross-thread calls are
// posts (drain, stop) and relaxed reads of counters.
#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

#include "proxy/access_log.hpp"
#include "proxy/asio_types.hpp"
#include "proxy/buffer_pool.hpp"
#include "proxy/request_arena.hpp"
#include "proxy/request_id.hpp"
#include "proxy/server.hpp"
#include "proxy/settings.hpp"
#include "proxy/upstream_pool.hpp"
#include "routing/seen_tenants.hpp"

namespace switchyard::stats {
class WorkerStats;
class WorkerGauges;
}  // namespace switchyard::stats

namespace switchyard::routing {
class SnapshotStore;
}

namespace switchyard::proxy {

class ClientSession;

class Worker {
  public:
    Worker(unsigned index, const ProxySettings& settings, const ResolvedBackends& backends,
           routing::SnapshotStore& snapshots, AccessLog& access_log, const EngineHooks& hooks);
    ~Worker();

    // Binds one listener; port 0 is replaced in `endpoint` by the port the OS picked, so the
    // next worker shares it through SO_REUSEPORT.
    void listen(tcp::endpoint& endpoint);
    void start();
    void begin_drain();  // thread-safe: stop accepting, close idle keep-alive connections
    void stop();         // thread-safe: stop the loop; join() afterwards
    void join();
    std::size_t active_sessions() const noexcept {
        return active_sessions_.load(std::memory_order_relaxed);
    }

    // For sessions (same thread only).
    asio::io_context& context() noexcept { return context_; }
    const ProxySettings& settings() const noexcept { return settings_; }
    UpstreamPool& pool() noexcept { return pool_; }
    Watchdog& watchdog() noexcept { return watchdog_; }
    routing::SnapshotStore& snapshots() noexcept { return snapshots_; }
    AccessLog& access_log() noexcept { return access_log_; }
    const EngineHooks& hooks() const noexcept { return hooks_; }
    stats::WorkerStats* stats() noexcept { return stats_; }
    routing::SeenTenants::Shard* seen_tenants() noexcept { return seen_tenants_; }
    stats::WorkerGauges* gauges() noexcept { return gauges_; }
    RequestIdGenerator& request_ids() noexcept { return request_ids_; }
    BufferPool& body_buffers() noexcept { return body_buffers_; }
    ArenaBlocks& arena_blocks() noexcept { return arena_blocks_; }
    std::uint64_t next_random() noexcept;  // xorshift64*: weighted routes need no crypto
    bool draining() const noexcept { return draining_; }
    void session_started(ClientSession* session);
    void session_ended(ClientSession* session);

  private:
    Awaitable<void> accept_loop(Acceptor& acceptor);

    unsigned index_;
    const ProxySettings& settings_;
    // Before the io_context: the sessions it still holds at destruction unregister from it.
    Watchdog watchdog_;
    // Before the io_context and everything holding read buffers: they give pooled ones back.
    BufferPool body_buffers_;
    ArenaBlocks arena_blocks_;
    // Sockets and timers are only ever touched on this thread (other threads post), so the
    // reactor's per-descriptor locks are off; posting from other threads stays locked.
    asio::io_context context_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
    std::vector<std::unique_ptr<Acceptor>> acceptors_;
    stats::WorkerGauges* gauges_;  // this thread's own: written here only
    UpstreamPool pool_;
    routing::SnapshotStore& snapshots_;
    AccessLog& access_log_;
    EngineHooks hooks_;
    stats::WorkerStats* stats_;                  // this thread's own: written here only
    routing::SeenTenants::Shard* seen_tenants_;  // this thread's own shard, or null
    RequestIdGenerator request_ids_;
    std::uint64_t random_state_;
    bool draining_ = false;
    std::unordered_set<ClientSession*> sessions_;
    std::atomic<std::size_t> active_sessions_{0};
    std::thread thread_;
};

// Logs what escaped a coroutine spawned on a worker ("session", "accept loop"), if anything.
void log_escaped_exception(std::exception_ptr error, std::string_view what);

}  // namespace switchyard::proxy
