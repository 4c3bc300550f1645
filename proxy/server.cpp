#include "proxy/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "proxy/worker.hpp"
#include "routing/snapshot_store.hpp"

namespace switchyard::proxy {

namespace {

std::vector<tcp::endpoint> resolve(const std::vector<UpstreamUrl>& urls, const char* side) {
    asio::io_context context;
    tcp::resolver resolver(context);
    std::vector<tcp::endpoint> endpoints;
    for (const auto& url : urls) {
        beast::error_code ec;
        auto results = resolver.resolve(url.host, std::to_string(url.port), ec);
        if (ec || results.empty()) {
            throw std::runtime_error(std::string("backends.") + side + ": cannot resolve \"" +
                                     url.host + "\": " + ec.message());
        }
        endpoints.push_back(results.begin()->endpoint());
    }
    return endpoints;
}

}  // namespace

struct Server::Impl {
    ProxySettings settings;
    routing::SnapshotStore& snapshots;
    AccessLog& access_log;
    EngineHooks hooks;
    ResolvedBackends backends;
    std::mutex workers_mutex;  // refresh_snapshots() from other threads against stop()
    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<tcp::endpoint> bound;
};

Server::Server(ProxySettings settings, routing::SnapshotStore& snapshots, AccessLog& access_log,
               EngineHooks hooks)
    : impl_(new Impl{std::move(settings), snapshots, access_log, hooks, {}, {}, {}, {}}) {}

Server::~Server() { stop(); }

void Server::start() {
    auto& s = *impl_;
    const std::lock_guard lock(s.workers_mutex);
    s.backends.legacy = resolve(s.settings.legacy, "legacy");
    s.backends.new_side = resolve(s.settings.new_side, "new");
    const unsigned threads = std::max(1u, s.settings.threads);
    for (unsigned i = 0; i < threads; ++i) {
        s.workers.push_back(std::make_unique<Worker>(i, s.settings, s.backends, s.snapshots,
                                                     s.access_log, s.hooks));
    }
    for (const auto& address : s.settings.listen) {
        beast::error_code ec;
        const auto ip = asio::ip::make_address(address.host, ec);
        if (ec) throw std::runtime_error("listen: \"" + address.host + "\" is not an IP address");
        tcp::endpoint endpoint(ip, address.port);
        try {
            // The first worker may get port 0 replaced; the others then join that port.
            for (auto& worker : s.workers) worker->listen(endpoint);
        } catch (const boost::system::system_error& e) {
            throw std::runtime_error("listen " + format_endpoint(endpoint) + ": " +
                                     e.code().message());
        }
        s.bound.push_back(endpoint);
    }
    for (auto& worker : s.workers) worker->start();
}

std::vector<std::string> Server::bound_addresses() const {
    std::vector<std::string> addresses;
    for (const auto& endpoint : impl_->bound) addresses.push_back(format_endpoint(endpoint));
    return addresses;
}

void Server::begin_drain() {
    for (auto& worker : impl_->workers) worker->begin_drain();
}

bool Server::wait_drained(std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        std::size_t active = 0;
        for (auto& worker : impl_->workers) active += worker->active_sessions();
        if (active == 0) return true;
        if (std::chrono::steady_clock::now() >= until) {
            spdlog::warn("drain deadline reached with {} connection(s) still open", active);
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void Server::refresh_snapshots() {
    const std::lock_guard lock(impl_->workers_mutex);
    for (auto& worker : impl_->workers) {
        asio::post(worker->context(), [&snapshots = impl_->snapshots] { snapshots.current(); });
    }
}

void Server::stop() {
    const std::lock_guard lock(impl_->workers_mutex);
    for (auto& worker : impl_->workers) worker->stop();
    for (auto& worker : impl_->workers) worker->join();
    impl_->workers.clear();
}

}  // namespace switchyard::proxy
