#include "proxy/worker.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <random>

#include "common/thread_name.hpp"
#include "proxy/client_session.hpp"
#include "stats/stats_registry.hpp"

namespace switchyard::proxy {

namespace {

std::uint64_t random_seed() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device() ^ 0x9e3779b97f4a7c15ull;
}

}  // namespace

void log_escaped_exception(std::exception_ptr error, std::string_view what) {
    if (!error) return;
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        spdlog::error("{} ended by an exception: {}", what, e.what());
    }
}

Worker::Worker(unsigned index, const ProxySettings& settings, const ResolvedBackends& backends,
               routing::SnapshotStore& snapshots, AccessLog& access_log, const EngineHooks& hooks)
    : index_(index),
      settings_(settings),
      body_buffers_(settings.limits.body_buffer_bytes),
      gauges_(hooks.stats ? &hooks.stats->gauges(index) : nullptr),
      pool_(context_, watchdog_, body_buffers_, backends, settings.limits,
            settings.timeouts.upstream_idle, gauges_),
      snapshots_(snapshots),
      access_log_(access_log),
      hooks_(hooks),
      stats_(hooks.stats ? &hooks.stats->worker(index) : nullptr),
      seen_tenants_(hooks.seen_tenants ? &hooks.seen_tenants->shard(index) : nullptr),
      request_ids_(random_seed()),
      random_state_(random_seed() | 1) {
    watchdog_.attach(context_);
}

Worker::~Worker() {
    stop();
    join();
    watchdog_.stop();  // its timer goes before the io_context does
}

void Worker::listen(tcp::endpoint& endpoint) {
    auto acceptor = std::make_unique<Acceptor>(context_);
    acceptor->open(endpoint.protocol());
    acceptor->set_option(Acceptor::reuse_address(true));
    // Every worker listens on the same port; the kernel spreads connections among them.
    acceptor->set_option(asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true));
    if (endpoint.protocol() == tcp::v6()) acceptor->set_option(asio::ip::v6_only(true));
    acceptor->bind(endpoint);
    acceptor->listen(asio::socket_base::max_listen_connections);
    endpoint = acceptor->local_endpoint();
    acceptors_.push_back(std::move(acceptor));
}

void Worker::start() {
    for (auto& acceptor : acceptors_) {
        asio::co_spawn(context_, accept_loop(*acceptor), [](std::exception_ptr error) {
            log_escaped_exception(error, "accept loop");
        });
    }
    thread_ = std::thread([this] {
        name_this_thread("sy-worker-" + std::to_string(index_));
        try {
            context_.run();
        } catch (const std::exception& e) {
            spdlog::critical("worker {} stopped by an exception: {}", index_, e.what());
        }
    });
}

Awaitable<void> Worker::accept_loop(Acceptor& acceptor) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
        if (ec) {
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
            // Out of descriptors or memory: back off instead of spinning on the error.
            spdlog::warn("worker {}: accept failed: {}", index_, ec.message());
            SteadyTimer pause(context_, std::chrono::milliseconds(50));
            co_await pause.async_wait(use_tuple);
            continue;
        }
        if (draining_) continue;  // socket closes as it goes out of scope
        socket.set_option(tcp::no_delay(true), ec);
        ClientSession::start(std::make_unique<ClientSession>(*this, std::move(socket)));
    }
}

void Worker::begin_drain() {
    asio::post(context_, [this] {
        draining_ = true;
        for (auto& acceptor : acceptors_) {
            beast::error_code ignored;
            acceptor->close(ignored);
        }
        // Copy: closing a session may end it and erase it from the set.
        const std::vector<ClientSession*> sessions(sessions_.begin(), sessions_.end());
        for (auto* session : sessions) session->close_if_idle();
        pool_.close_all();
    });
}

void Worker::stop() { context_.stop(); }

void Worker::join() {
    if (thread_.joinable()) thread_.join();
}

std::uint64_t Worker::next_random() noexcept {
    random_state_ ^= random_state_ >> 12;
    random_state_ ^= random_state_ << 25;
    random_state_ ^= random_state_ >> 27;
    return random_state_ * 0x2545F4914F6CDD1Dull;
}

void Worker::session_started(ClientSession* session) {
    sessions_.insert(session);
    active_sessions_.fetch_add(1, std::memory_order_relaxed);
}

void Worker::session_ended(ClientSession* session) {
    sessions_.erase(session);
    active_sessions_.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace switchyard::proxy
