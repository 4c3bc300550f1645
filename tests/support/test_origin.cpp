#include "test_origin.hpp"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "origin_session.hpp"

namespace switchyard::test {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
// A session that throws is a bug in the harness: say so instead of dropping it silently.
void report_escaped(const std::exception_ptr& error) {
    if (!error) return;
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "TestOrigin: session failed: %s\n", e.what());
    }
}
}  // namespace

struct TestOrigin::State {
    std::string name;
    std::optional<asio::io_context> io;
    std::optional<tcp::acceptor> acceptor;
    std::uint16_t port = 0;
    std::thread thread;
    std::atomic<std::size_t> connections{0};
    std::atomic<bool> stopped{false};
    std::atomic<std::uint64_t> body_read_rate{0};

    mutable std::mutex mutex;  // guards everything below
    std::vector<RecordedRequest> requests;
    Responder responder;
    ArrivalHook hook;

    // Touched on the origin's thread only: the sockets to close when stopping.
    std::set<tcp::socket*> live_sockets;

    ~State() {
        acceptor.reset();
        io.reset();  // destroys the sessions still suspended, with their sockets
    }

    OriginReply default_reply() const {
        OriginReply reply = OriginReply::with_status(200, name);
        reply.headers.add("Content-Type", "text/plain");
        reply.headers.add("X-Origin", name);
        return reply;
    }

    void arrived(const RecordedRequest& record) {
        ArrivalHook current;
        {
            std::lock_guard lock(mutex);
            current = hook;
        }
        if (current) current(record);
    }

    OriginReply received(RecordedRequest record) {
        Responder current;
        {
            std::lock_guard lock(mutex);
            requests.push_back(record);
            current = responder;
        }
        return current ? current(record) : default_reply();
    }

    asio::awaitable<void> session(tcp::socket socket, std::size_t index) {
        live_sockets.insert(&socket);
        detail::OriginCallbacks callbacks{
            [this](const RecordedRequest& r) { arrived(r); },
            [this](RecordedRequest r) { return received(std::move(r)); },
            [this] { return body_read_rate.load(); }};
        struct Untrack {
            State* state;
            tcp::socket* socket;
            ~Untrack() { state->live_sockets.erase(socket); }
        } untrack{this, &socket};
        co_await detail::serve_connection(socket, index, std::move(callbacks));
    }

    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] =
                co_await acceptor->async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
            if (ec) continue;  // e.g. the peer reset before accept: keep serving
            const std::size_t index = ++connections;
            asio::co_spawn(*io, session(std::move(socket), index), report_escaped);
        }
    }
};

TestOrigin::TestOrigin(std::string name) : state_(std::make_shared<State>()) {
    state_->name = std::move(name);
    state_->io.emplace(1);
    state_->acceptor.emplace(*state_->io, tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0});
    state_->port = state_->acceptor->local_endpoint().port();
    asio::co_spawn(*state_->io, state_->accept_loop(), report_escaped);
    state_->thread = std::thread([state = state_.get()] { state->io->run(); });
}

TestOrigin::~TestOrigin() { stop(); }

void TestOrigin::stop() {
    if (state_->stopped.exchange(true)) return;
    asio::post(*state_->io, [state = state_.get()] {
        boost::system::error_code ignored;
        state->acceptor->close(ignored);
        for (tcp::socket* socket : state->live_sockets) socket->close(ignored);
        state->io->stop();
    });
    state_->thread.join();
}

std::uint16_t TestOrigin::port() const noexcept { return state_->port; }
const std::string& TestOrigin::name() const noexcept { return state_->name; }
std::string TestOrigin::url() const { return "http://127.0.0.1:" + std::to_string(port()); }

void TestOrigin::set_reply(OriginReply reply) {
    set_responder([reply = std::move(reply)](const RecordedRequest&) { return reply; });
}

void TestOrigin::set_responder(Responder responder) {
    std::lock_guard lock(state_->mutex);
    state_->responder = std::move(responder);
}

void TestOrigin::set_arrival_hook(ArrivalHook hook) {
    std::lock_guard lock(state_->mutex);
    state_->hook = std::move(hook);
}

void TestOrigin::set_body_read_rate(std::uint64_t bytes_per_second) {
    state_->body_read_rate = bytes_per_second;
}

std::size_t TestOrigin::connections_accepted() const { return state_->connections.load(); }

std::size_t TestOrigin::request_count() const {
    std::lock_guard lock(state_->mutex);
    return state_->requests.size();
}

std::vector<RecordedRequest> TestOrigin::requests() const {
    std::lock_guard lock(state_->mutex);
    return state_->requests;
}

RecordedRequest TestOrigin::last_request() const {
    std::lock_guard lock(state_->mutex);
    return state_->requests.empty() ? RecordedRequest{} : state_->requests.back();
}

void TestOrigin::clear_requests() {
    std::lock_guard lock(state_->mutex);
    state_->requests.clear();
}

}  // namespace switchyard::test
