#include "proxy/client_session.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cerrno>
#include <cstring>

#include "proxy/body_relay.hpp"
#include "proxy/buffer_pool.hpp"
#include "proxy/error_response.hpp"
#include "proxy/forwarding_headers.hpp"
#include "proxy/worker.hpp"
#include "routing/decide.hpp"
#include "routing/door_gate.hpp"
#include "routing/read_your_writes.hpp"
#include "routing/snapshot_store.hpp"
#include "stats/worker_gauges.hpp"
#include "stats/worker_stats.hpp"

namespace switchyard::proxy {
namespace http = beast::http;
using Clock = std::chrono::steady_clock;
using ResponseParser = http::response_parser<http::buffer_body, ArenaAllocator<char>>;

namespace {

constexpr std::string_view kHealthPath = "/__switchyard/health";
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::size_t kMaxClientRequestIdBytes = 128;
constexpr std::size_t kFirstReadBytes = 4096;  // what a request's first read takes at most

bool is_disconnect(const beast::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
           ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor;
}

// An id the client sent is passed on only if it is short and printable (it ends up in logs).
bool acceptable_request_id(std::string_view id) {
    if (id.empty() || id.size() > kMaxClientRequestIdBytes) return false;
    for (char c : id) {
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
    }
    return true;
}

std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));  // queries may carry secrets: not logged
}

// The request line alone is over the URL limit: 414 rather than 431 (RFC 9112 §3).
bool request_line_too_long(asio::const_buffer data, std::size_t max_url_bytes) {
    const std::string_view bytes(static_cast<const char*>(data.data()), data.size());
    const auto line_end = bytes.find("\r\n");
    return line_end == std::string_view::npos ? bytes.size() > max_url_bytes
                                              : line_end > max_url_bytes;
}

// Counts a request in the in-flight gauge from its first byte to its answer, however it ends.
class InFlight {
  public:
    explicit InFlight(stats::WorkerGauges* gauges) : gauges_(gauges) {
        if (gauges_) gauges_->request_started();
    }
    ~InFlight() {
        if (gauges_) gauges_->request_finished();
    }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

  private:
    stats::WorkerGauges* gauges_;
};

struct UpstreamFailure {
    unsigned status;
    std::string_view code;
};

UpstreamFailure classify_upstream_failure(const beast::error_code& ec, bool connecting) {
    if (ec == beast::error::timeout) {
        return {504, connecting ? "upstream_connect_timeout" : "upstream_timeout"};
    }
    if (connecting) return {502, "upstream_unreachable"};
    const auto& http_errors = http::make_error_code(http::error::end_of_stream).category();
    if (&ec.category() == &http_errors && ec != http::error::end_of_stream)
        return {502, "bad_upstream_response"};
    return {502, "upstream_connection_failed"};
}

}  // namespace

ClientSession::ClientSession(Worker& worker, Socket socket)
    : worker_(worker),
      stream_(std::move(socket), worker.watchdog()),
      buffer_(PoolAllocator<char>(worker.body_buffers())),
      arena_(worker.arena_blocks()) {
    beast::error_code ec;
    const auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) {
        const auto address = remote.address();
        client_ip_ =
            address.is_v6() && address.to_v6().is_v4_mapped()
                ? asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string()
                : address.to_string();
    }
    worker_.session_started(this);
}

ClientSession::~ClientSession() { worker_.session_ended(this); }

void ClientSession::close_if_idle() {
    if (!idle_) return;
    beast::error_code ignored;
    stream_.socket().shutdown(Socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
}

void ClientSession::start(std::unique_ptr<ClientSession> session) {
    wait_for_request(std::move(session));
}

// Serves what has arrived, or waits for it.
void ClientSession::wait_for_request(std::unique_ptr<ClientSession> self) {
    auto& session = *self;
    if (session.worker_.draining()) return session.finish();
    switch (session.read_what_arrived()) {
        case Arrival::bytes:
            return serve_arrived(std::move(self));
        case Arrival::closed:
            return session.finish();
        case Arrival::nothing_yet:
            return wait_readable(std::move(self));
    }
}

// Nothing has arrived: wait holding only the session, no buffer and no coroutine.
void ClientSession::wait_readable(std::unique_ptr<ClientSession> self) {
    auto& session = *self;
    if (session.worker_.draining()) return session.finish();
    session.release_idle_memory();
    const auto& timeouts = session.worker_.settings().timeouts;
    session.stream_.expires_after(session.first_ ? timeouts.client_header : timeouts.client_idle);
    session.idle_ = true;
    session.stream_.async_wait_readable([self = std::move(self)](beast::error_code ec) mutable {
        self->idle_ = false;
        if (ec) return self->finish();  // timed out, closed by drain, or the socket failed
        wait_for_request(std::move(self));
    });
}

void ClientSession::serve_arrived(std::unique_ptr<ClientSession> self) {
    auto& session = *self;
    asio::co_spawn(session.worker_.context(), session.serve_requests(),
                   [self = std::move(self)](std::exception_ptr error, Next next) mutable {
                       if (error) {
                           log_escaped_exception(error, "session");
                           next = Next::close;
                       }
                       if (next == Next::close) return self->finish();
                       wait_readable(std::move(self));  // serve_requests found nothing more
                   });
}

ClientSession::Arrival ClientSession::read_what_arrived() {
    // Read onto the stack, so the buffer is allocated only for bytes that did arrive.
    std::array<char, kFirstReadBytes> bytes;
    const auto n =
        ::recv(stream_.socket().native_handle(), bytes.data(), bytes.size(), MSG_DONTWAIT);
    if (n > 0) {
        const auto size = static_cast<std::size_t>(n);
        std::memcpy(buffer_.prepare(size).data(), bytes.data(), size);
        buffer_.commit(size);
        return Arrival::bytes;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        return Arrival::nothing_yet;
    }
    return Arrival::closed;  // 0: the client closed; otherwise reset or another socket error
}

void ClientSession::release_idle_memory() {
    // The read buffer only: freeing the few hundred bytes of head and id strings as well cost
    // ~900 instructions a request and did not lower the RSS bench/peers idle measures.
    buffer_.shrink_to_fit();  // empty here: frees it
}

void ClientSession::finish() {
    beast::error_code ignored;
    stream_.socket().shutdown(Socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
}

// Serves the request that arrived, and those that arrive before it is done.
Awaitable<ClientSession::Next> ClientSession::serve_requests() {
    for (;;) {
        Exchange exchange;
        exchange.started = Clock::now();
        const InFlight in_flight(worker_.gauges());
        const auto next = co_await serve_request(exchange);
        first_ = false;
        // One access-log line per request, whatever happened; none for a peer that sent nothing.
        if (exchange.status != 0) {
            log(exchange);
            record(exchange);
        }
        parser_.reset();  // an idle keep-alive connection keeps no header fields allocated
        arena_.release();
        if (next == Next::close || worker_.draining()) co_return Next::close;
        if (buffer_.size() != 0) continue;  // pipelined
        // Under load the next request has usually arrived by now: serving it in this coroutine
        // saves ending it and spawning another (a post and two frames a request).
        switch (read_what_arrived()) {
            case Arrival::bytes:
                continue;
            case Arrival::closed:
                co_return Next::close;
            case Arrival::nothing_yet:
                co_return Next::keep_alive;
        }
    }
}

Awaitable<ClientSession::Next> ClientSession::serve_request(Exchange& exchange) {
    const auto& limits = worker_.settings().limits;
    auto& parser = parser_.emplace(arena_, std::piecewise_construct, std::make_tuple(),
                                   std::make_tuple(ArenaAllocator<char>(arena_)));
    // The request line does not count against the header section's budget.
    parser.header_limit(limits.max_header_bytes + limits.max_url_bytes);
    if (limits.max_body_bytes > 0) {
        parser.body_limit(limits.max_body_bytes);
    } else {
        parser.body_limit(boost::none);  // bodies stream through a bounded buffer
    }

    stream_.expires_after(worker_.settings().timeouts.client_header);
    auto [ec, n] = co_await http::async_read_header(stream_, buffer_, parser, use_tuple);
    if (ec) co_return co_await answer_unreadable(ec, exchange);

    auto& request = parser.get();
    assign_request_id(parser);
    method_.assign(request.method_string());
    log_path_.assign(path_of(request.target()));

    if (request.target().size() > limits.max_url_bytes) {
        co_return co_await answer(414, "uri_too_long", "the request target exceeds the URL limit",
                                  false, exchange);
    }
    // The parser's limit covered line + fields; the fields alone have their own (RFC 9110
    // §15.5.32).
    const std::size_t request_line_bytes =
        request.method_string().size() + request.target().size() + sizeof(" HTTP/1.1\r\n");
    if (n > request_line_bytes && n - request_line_bytes > limits.max_header_bytes) {
        co_return co_await answer(431, "header_fields_too_large",
                                  "the request header section exceeds the limit", false, exchange);
    }
    if (request.target() == kHealthPath) co_return co_await answer_health(parser, exchange);

    // One snapshot per request: held until the response is done (ARCHITECTURE.md invariant 1).
    const auto snapshot = worker_.snapshots().current();
    const routing::RequestView view{
        request.method_string(),
        request.target(),
        request[http::field::host],
        {static_cast<const ArenaFields*>(&request), &find_header<ArenaFields>}};
    exchange.decision = routing::decide(*snapshot, view, worker_.next_random());
    exchange.routed = true;
    if (auto* seen = worker_.seen_tenants(); seen && !exchange.decision.tenant.empty()) {
        seen->note(exchange.decision.tenant);
    }
    const auto& hooks = worker_.hooks();
    if (hooks.recent_writes) {
        const auto now_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
                .count();
        routing::apply_read_your_writes(exchange.decision, *hooks.recent_writes, now_ms,
                                        worker_.settings().read_your_writes.count());
    }
    if (exchange.decision.reject) {
        co_return co_await answer(400, "tenant_required",
                                  "this route needs a tenant key and the request carries none",
                                  parser.is_done(), exchange);
    }
    if (closes_door(exchange.decision, *snapshot)) {
        // Invariant 3: the closing is durable before this request may reach new.
        std::string why;
        if (!co_await close_door(exchange, why)) {
            exchange.error = "door_not_durable";
            co_return co_await answer(503, "door_not_durable",
                                      "tenant " + exchange.decision.tenant +
                                          ": its first write on the new side could not be "
                                          "recorded durably, so it was not forwarded (" +
                                          why + "); retry later",
                                      parser.is_done(), exchange);
        }
    }
    co_return co_await forward(parser, exchange);
}

bool ClientSession::closes_door(const routing::Decision& decision,
                                const routing::Snapshot& snapshot) const {
    return worker_.hooks().door_gate && decision.policy == routing::Policy::tenant &&
           decision.unsafe_method && decision.side == Side::new_ && !decision.tenant.empty() &&
           !(snapshot.doors && snapshot.doors->closed(decision.tenant));
}

Awaitable<bool> ClientSession::close_door(const Exchange& exchange, std::string& why) {
    // The gate answers on its own thread; the answer is posted back here and wakes the timer,
    // which otherwise bounds the wait.
    struct Wait {
        explicit Wait(asio::io_context& context) : timer(context) {}
        SteadyTimer timer;
        bool answered = false;
        std::string error;
    };
    auto wait = std::make_shared<Wait>(worker_.context());
    wait->timer.expires_after(worker_.settings().timeouts.door_journal);
    const routing::DoorClosingRequest request{exchange.decision.tenant, request_id_, method_,
                                              log_path_};
    worker_.hooks().door_gate->close_before_forwarding(
        request, [wait, executor = worker_.context().get_executor()](const Error* error) {
            std::string message = error ? error->message : std::string{};
            asio::post(executor, [wait, message = std::move(message)]() mutable {
                wait->answered = true;
                wait->error = std::move(message);
                wait->timer.cancel();
            });
        });
    co_await wait->timer.async_wait(use_tuple);
    if (!wait->answered) {
        why = "the door journal did not answer in time";
        co_return false;
    }
    why = wait->error;
    co_return why.empty();
}

void ClientSession::assign_request_id(const RequestParser& parser) {
    const auto& request = parser.get();
    const auto it = request.find("X-Request-Id");
    if (it != request.end() && acceptable_request_id(it->value())) {
        request_id_.assign(it->value());
    } else {
        request_id_.assign(worker_.request_ids().next());
    }
}

Awaitable<ClientSession::Next> ClientSession::answer_unreadable(beast::error_code ec,
                                                                Exchange& exchange) {
    // Nothing sensible to answer: the peer left or never spoke.
    if (is_disconnect(ec) || (ec == beast::error::timeout && buffer_.size() == 0)) {
        co_return Next::close;
    }
    request_id_.assign(worker_.request_ids().next());
    method_.clear();
    log_path_.clear();
    const auto& limits = worker_.settings().limits;
    if (ec == beast::error::timeout) {
        co_return co_await answer(408, "request_timeout", "the request headers took too long",
                                  false, exchange);
    }
    if (ec == http::error::header_limit) {
        if (request_line_too_long(buffer_.data(), limits.max_url_bytes)) {
            co_return co_await answer(414, "uri_too_long",
                                      "the request target exceeds the URL limit", false, exchange);
        }
        co_return co_await answer(431, "header_fields_too_large",
                                  "the request header section exceeds the limit", false, exchange);
    }
    if (ec == http::error::body_limit) {
        co_return co_await answer(413, "content_too_large",
                                  "the request body exceeds the configured limit", false, exchange);
    }
    co_return co_await answer(400, "bad_request", "malformed request: " + ec.message(), false,
                              exchange);
}

Awaitable<ClientSession::Next> ClientSession::answer(unsigned status, std::string_view code,
                                                     std::string_view message, bool keep_alive,
                                                     Exchange& exchange) {
    keep_alive = keep_alive && !worker_.draining();
    auto response = make_error_response(status, code, message, request_id_, keep_alive);
    stream_.expires_after(worker_.settings().timeouts.client_idle);
    auto [ec, n] = co_await http::async_write(stream_, response, use_tuple);
    exchange.status = status;
    exchange.bytes_out = response.body().size();
    exchange.error = code;
    co_return (keep_alive && !ec) ? Next::keep_alive : Next::close;
}

Awaitable<ClientSession::Next> ClientSession::answer_health(RequestParser& parser,
                                                            Exchange& exchange) {
    const bool draining = worker_.draining();
    const bool keep_alive = parser.get().keep_alive() && parser.is_done() && !draining;
    auto response = make_json_response(
        draining ? 503 : 200, draining ? "{\"status\":\"draining\"}\n" : "{\"status\":\"ok\"}\n",
        request_id_, keep_alive);
    stream_.expires_after(worker_.settings().timeouts.client_idle);
    auto [ec, n] = co_await http::async_write(stream_, response, use_tuple);
    exchange.status = response.result_int();
    exchange.bytes_out = response.body().size();
    co_return (keep_alive && !ec) ? Next::keep_alive : Next::close;
}

// GCC 12 sees Asio's frame operator new (aligned_alloc) and its operator delete (which frees
// with std::free) inlined into this coroutine's ramp and warns of a mismatch that is not there.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
Awaitable<ClientSession::Next> ClientSession::forward(RequestParser& parser, Exchange& exchange) {
    const auto& settings = worker_.settings();
    const auto& timeouts = settings.timeouts;
    auto& request = parser.get();
    const auto& decision = exchange.decision;

    const unsigned client_version = request.version();
    const bool client_keep_alive = request.keep_alive();
    const bool is_head = request.method() == http::verb::head;
    const bool expects_continue = beast::iequals(request[http::field::expect], "100-continue");
    const bool request_chunked = request.chunked();
    const bool request_has_body = !parser.is_done();

    if (expects_continue) request.erase(http::field::expect);  // we answer 100 ourselves
    // Who answers errors from here on: only keep the client if its body was not left unread.
    auto fail = [&](unsigned status, std::string_view code, std::string message) {
        return answer(status, code, message, client_keep_alive && parser.is_done(), exchange);
    };

    exchange.upstream_started = Clock::now();
    // A pooled connection needs no coroutine (a frame allocation each, under load).
    auto picked = worker_.pool().pick(decision.side, !request_has_body);
    ConnectResult connected{std::move(picked.idle), ConnectFailure::none, {}};
    if (!connected.connection) {
        connected = co_await worker_.pool().connect(decision.side, picked.backend,
                                                    timeouts.upstream_connect);
    }
    if (!connected.connection) {
        const auto failure = classify_upstream_failure(connected.error, true);
        exchange.upstream_finished = Clock::now();
        std::string message =
            std::string(to_string(decision.side)) + " backend: " + connected.error.message();
        co_return co_await fail(failure.status, failure.code, std::move(message));
    }
    auto upstream = std::move(connected.connection);

    if (expects_continue && request_has_body && client_version >= 11) {
        stream_.expires_after(timeouts.client_idle);
        auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(kContinue), use_tuple);
        if (ec) co_return Next::close;
    }

    BorrowedBuffer scratch(worker_.body_buffers());
    InArena<ResponseParser> response_parser;
    auto start_response = [&](InArena<ResponseParser>& parser) -> ResponseParser& {
        auto& started = parser.emplace(arena_, std::piecewise_construct, std::make_tuple(),
                                       std::make_tuple(ArenaAllocator<char>(arena_)));
        started.body_limit(boost::none);
        started.skip(is_head);  // a HEAD response announces a body it does not send
        return started;
    };
    // The head for the upstream hop, written once: a retry sends the same bytes.
    write_request_head(request, decision.forward_target(), {client_ip_, "http", request_id_},
                       request_chunked, head_);
    // At most two attempts: a pooled connection the backend closed while idle is retried once
    // on a fresh one, only when no body was sent (nothing is replayed).
    for (int attempt = 0;; ++attempt) {
        RelayResult sent;
        if (request_has_body) {
            sent = co_await relay_with_head(stream_, buffer_, parser, upstream->stream, head_,
                                            request_chunked, scratch.span(), timeouts.client_idle,
                                            timeouts.upstream_response);
        } else {  // the head alone: no relay coroutine
            upstream->stream.expires_after(timeouts.upstream_response);
            std::tie(sent.write_error, std::ignore) =
                co_await asio::async_write(upstream->stream, asio::buffer(head_), use_tuple);
        }
        exchange.bytes_in += sent.bytes;
        if (sent.read_error) {
            exchange.error = "client_aborted";
            exchange.status = 499;
            co_return Next::close;
        }
        beast::error_code ec = sent.write_error;
        if (!ec) {
            // Room for the head and a body up to the relay buffer's size: such an answer
            // arrives in one read and leaves with its head in one write. Beast reads only into
            // spare capacity, 512 bytes at first, which took a read and a write more.
            upstream->buffer.reserve(worker_.body_buffers().buffer_bytes());
            auto& response = start_response(response_parser);
            upstream->stream.expires_after(timeouts.upstream_response);
            std::tie(ec, std::ignore) = co_await http::async_read_header(
                upstream->stream, upstream->buffer, response, use_tuple);
            // Interim 1xx answers (RFC 9110 §15.2) are relayed; the final one follows.
            while (!ec && response.get().result_int() / 100 == 1 &&
                   response.get().result() != http::status::switching_protocols) {
                http::response<http::empty_body> interim{response.get().result(), 11};
                for (const auto& field : response.get()) {
                    interim.insert(field.name_string(), field.value());
                }
                stream_.expires_after(timeouts.client_idle);
                auto [wec, wn] = co_await http::async_write(stream_, interim, use_tuple);
                if (wec) co_return Next::close;
                start_response(response_parser);
                std::tie(ec, std::ignore) = co_await http::async_read_header(
                    upstream->stream, upstream->buffer, *response_parser, use_tuple);
            }
        }
        if (!ec) break;
        const bool stale = upstream->reused && !request_has_body && attempt == 0 &&
                           (is_disconnect(ec) || ec == http::error::partial_message);
        if (stale) {
            auto fresh = co_await worker_.pool().reconnect(*upstream, timeouts.upstream_connect);
            if (fresh.connection) {
                upstream = std::move(fresh.connection);
                continue;
            }
            ec = fresh.error;
        }
        exchange.upstream_finished = Clock::now();
        const auto failure = classify_upstream_failure(ec, false);
        co_return co_await fail(
            failure.status, failure.code,
            std::string(to_string(decision.side)) + " backend: " + ec.message());
    }
    exchange.upstream_finished = Clock::now();

    auto& response = response_parser->get();
    const unsigned status = response.result_int();
    const bool upstream_keep_alive = response.keep_alive();
    const bool body_allowed = !is_head && status != 204 && status != 304;
    const bool has_length = response.has_content_length();
    bool keep_alive = client_keep_alive && !worker_.draining();

    // Chunked or close-delimited upstream: chunk it for HTTP/1.1 clients, close for 1.0.
    const bool chunked = body_allowed && !has_length && client_version >= 11;
    if (body_allowed && !has_length && client_version < 11) keep_alive = false;
    exchange.status = status;
    write_response_head(response, request_id_,
                        {client_version >= 11 ? 11u : 10u, keep_alive, chunked}, head_);

    stream_.expires_after(timeouts.client_idle);
    RelayResult relayed;
    if (body_allowed) {
        relayed = co_await relay_with_head(upstream->stream, upstream->buffer, *response_parser,
                                           stream_, head_, chunked, scratch.span(),
                                           timeouts.upstream_response, timeouts.client_idle);
    } else {
        // HEAD, 204, 304: the head alone, even if the backend's parser saw more.
        auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(head_), use_tuple);
        relayed.write_error = ec;
    }
    exchange.bytes_out = relayed.bytes;
    if (relayed.read_error) exchange.error = "upstream_body_failed";
    if (relayed.write_error) exchange.error = "client_aborted";
    upstream->buffer.shrink_to_fit();  // empty if pooled below: its memory goes back
    // The backend's answer was read whole: its connection may serve another request.
    if (!relayed.read_error && upstream_keep_alive && response_parser->is_done()) {
        worker_.pool().release(std::move(upstream));
    }
    co_return (relayed.ok() && keep_alive) ? Next::keep_alive : Next::close;
}
#pragma GCC diagnostic pop

void ClientSession::record(const Exchange& exchange) {
    auto* stats = worker_.stats();
    if (!stats || !exchange.routed) return;
    const auto& d = exchange.decision;
    stats::RequestSample sample;
    sample.side = d.side;
    sample.stage = d.stage;
    sample.tenant_route = d.policy == routing::Policy::tenant && !d.tenant.empty();
    sample.status = exchange.status;
    sample.route_index = d.route_index;
    sample.upstream_error =
        exchange.error.starts_with("upstream") || exchange.error == "bad_upstream_response";
    const auto now = Clock::now();
    if (exchange.upstream_finished > exchange.upstream_started) {
        sample.upstream_latency = std::chrono::duration_cast<std::chrono::microseconds>(
            exchange.upstream_finished - exchange.upstream_started);
    }
    sample.total_latency =
        std::chrono::duration_cast<std::chrono::microseconds>(now - exchange.started);
    stats->record(sample, now);
}

void ClientSession::log(const Exchange& exchange) {
    auto& access_log = worker_.access_log();
    if (!access_log.enabled()) return;
    const auto now = Clock::now();
    AccessRecord record;
    record.request_id = request_id_;
    record.method = method_;
    record.path = log_path_;
    record.status = exchange.status;
    record.bytes_in = exchange.bytes_in;
    record.bytes_out = exchange.bytes_out;
    record.error = exchange.error;
    record.total_latency =
        std::chrono::duration_cast<std::chrono::microseconds>(now - exchange.started);
    if (exchange.routed) {
        const auto& d = exchange.decision;
        record.tenant = d.tenant;
        record.route_index = d.route_index;
        record.policy = routing::to_string(d.policy);
        record.stage = to_string(d.stage);
        record.side = to_string(d.side);
        if (exchange.upstream_finished > exchange.upstream_started) {
            record.upstream_latency = std::chrono::duration_cast<std::chrono::microseconds>(
                exchange.upstream_finished - exchange.upstream_started);
        }
    } else {
        record.policy = "internal";
    }
    access_log.write(record);
}

}  // namespace switchyard::proxy
