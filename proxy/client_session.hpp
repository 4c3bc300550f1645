#pragma once
// One client connection: reads requests one at a time, routes each with the snapshot current
// when it started, forwards it, streams both bodies, writes exactly one access-log line.
// Between requests a connection runs no coroutine and holds no buffer: it waits for the next
// bytes with a plain readiness callback, so 10,000 idle keep-alive clients cost ~1 KiB each.
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "proxy/asio_types.hpp"
#include "proxy/buffer_pool.hpp"
#include "proxy/deadline_stream.hpp"
#include "proxy/request_arena.hpp"
#include "routing/decision.hpp"
#include "routing/snapshot.hpp"

namespace switchyard::proxy {

class Worker;
struct UpstreamConnection;

class ClientSession {
  public:
    ClientSession(Worker& worker, Socket socket);
    ~ClientSession();
    ClientSession(const ClientSession&) = delete;
    ClientSession& operator=(const ClientSession&) = delete;

    // Serves the connection until it closes; the session owns itself meanwhile.
    static void start(std::unique_ptr<ClientSession> session);
    // Drain: a session waiting for its next request is closed; a busy one finishes first.
    void close_if_idle();

  private:
    enum class Next { keep_alive, close };
    using RequestParser =
        beast::http::request_parser<beast::http::buffer_body, ArenaAllocator<char>>;

    // What the access log and metrics need to know about one request, filled as it goes.
    struct Exchange {
        std::chrono::steady_clock::time_point started;
        std::chrono::steady_clock::time_point upstream_started;
        std::chrono::steady_clock::time_point upstream_finished;
        routing::Decision decision;
        bool routed = false;  // decide() ran; side/stage are meaningful
        unsigned status = 0;
        std::uint64_t bytes_in = 0;
        std::uint64_t bytes_out = 0;
        std::string_view error;
    };

    static void wait_for_request(std::unique_ptr<ClientSession> self);
    static void wait_readable(std::unique_ptr<ClientSession> self);
    static void serve_arrived(std::unique_ptr<ClientSession> self);
    enum class Arrival { bytes, nothing_yet, closed };
    Arrival read_what_arrived();
    void release_idle_memory();
    void finish();
    // Ends when the connection is to close, or (keep_alive) when nothing more has arrived yet.
    Awaitable<Next> serve_requests();
    Awaitable<Next> serve_request(Exchange& exchange);
    Awaitable<Next> answer_unreadable(beast::error_code error, Exchange& exchange);
    Awaitable<Next> forward(RequestParser& parser, Exchange& exchange);
    Awaitable<Next> answer(unsigned status, std::string_view code, std::string_view message,
                           bool keep_alive, Exchange& exchange);
    Awaitable<Next> answer_health(RequestParser& parser, Exchange& exchange);
    bool closes_door(const routing::Decision& decision, const routing::Snapshot& snapshot) const;
    Awaitable<bool> close_door(const Exchange& exchange, std::string& why);
    void assign_request_id(const RequestParser& parser);
    void log(const Exchange& exchange);
    void record(const Exchange& exchange);

    Worker& worker_;
    DeadlineStream stream_;
    PooledFlatBuffer buffer_;
    RequestArena arena_;             // both parsers' header fields, given back after each exchange
    InArena<RequestParser> parser_;  // declared after arena_: destroyed before it
    std::string client_ip_;
    std::string request_id_;
    std::string method_;  // copies for the log line: the parser is gone by then
    std::string log_path_;
    std::string head_;   // the message head being sent, reused: no allocation per request
    bool idle_ = false;  // waiting for a request, with nothing read: drain may close it
    bool first_ = true;  // no request yet: the wait is bounded by the header timeout
};

}  // namespace switchyard::proxy
