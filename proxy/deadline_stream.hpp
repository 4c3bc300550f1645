#pragma once
// A TCP socket with a deadline, like beast::tcp_stream, but without a timer per operation.
// tcp_stream arms an Asio timer for every read and write: a timer-queue insert and cancel, and a
// timerfd_settime syscall whenever it becomes the earliest (4 syscalls and ~5,000 instructions
// a proxied request). Here a deadline is a time stored in the stream; the worker's Watchdog
// looks at every stream once per tick and cancels the operations of those past theirs, which
// then end with beast::error::timeout as tcp_stream's do; unlike tcp_stream it does not close
// the socket, so the owner can still answer (a 408 to a client whose header never ended). Past
// the deadline with nothing pending, the next operation times out at once (tcp_stream's rule
// too). A timeout fires up to one tick late.
#include <time.h>

#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <utility>

#include "proxy/asio_types.hpp"

namespace switchyard::proxy {

class DeadlineStream;

// CLOCK_MONOTONIC_COARSE: read from memory the kernel updates every tick (1-4 ms), where
// steady_clock reads the TSC and scales it. Deadlines are kept to within a 100 ms watchdog tick
// anyway, and a request sets ~6 of them.
struct CoarseClock {
    using duration = std::chrono::nanoseconds;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<CoarseClock>;
    static constexpr bool is_steady = true;
    static time_point now() noexcept {
        timespec ts{};
        ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
        return time_point(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
    }
};

// Closes the streams of one worker that are past their deadline, once per tick. One thread.
class Watchdog {
  public:
    static constexpr std::chrono::milliseconds kTick{100};

    Watchdog() = default;
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    // Ticks on `context` from the first watch() on. Before any stream is made.
    void attach(asio::io_context& context) { timer_.emplace(context); }
    void watch(DeadlineStream& stream) noexcept;
    void forget(DeadlineStream& stream) noexcept;
    // Stops ticking and lets go of the io_context (call before it is destroyed); streams may
    // still come and go, unwatched.
    void stop();

  private:
    void schedule();
    void tick();

    std::optional<asio::steady_timer> timer_;
    DeadlineStream* first_ = nullptr;  // an intrusive list: watching costs no allocation
    bool ticking_ = false;
    bool stopped_ = false;
};

class DeadlineStream {
  public:
    using executor_type = Socket::executor_type;
    using Clock = CoarseClock;

    DeadlineStream(Socket socket, Watchdog& watchdog)
        : socket_(std::move(socket)), watchdog_(watchdog) {
        watchdog_.watch(*this);
    }
    DeadlineStream(asio::io_context& context, Watchdog& watchdog)
        : DeadlineStream(Socket(context), watchdog) {}
    ~DeadlineStream() { watchdog_.forget(*this); }
    DeadlineStream(const DeadlineStream&) = delete;
    DeadlineStream& operator=(const DeadlineStream&) = delete;

    executor_type get_executor() noexcept { return socket_.get_executor(); }
    Socket& socket() noexcept { return socket_; }

    // The operations started from now on (and any still pending) must end within `timeout`.
    void expires_after(std::chrono::milliseconds timeout) noexcept {
        deadline_ = Clock::now() + timeout;
        overdue_ = false;
    }
    void expires_never() noexcept {
        deadline_ = Clock::time_point::max();
        overdue_ = false;
    }
    bool timed_out() const noexcept { return timed_out_; }

    template <typename MutableBuffers, typename Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        return asio::async_initiate<Token, void(beast::error_code, std::size_t)>(
            [this](auto handler, const MutableBuffers& b) {
                start_operation();
                socket_.async_read_some(b,
                                        TimeoutAware<decltype(handler)>{std::move(handler), this});
            },
            token, buffers);
    }

    template <typename ConstBuffers, typename Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        return asio::async_initiate<Token, void(beast::error_code, std::size_t)>(
            [this](auto handler, const ConstBuffers& b) {
                start_operation();
                socket_.async_write_some(b,
                                         TimeoutAware<decltype(handler)>{std::move(handler), this});
            },
            token, buffers);
    }

    // Completes once the socket has something to read (or the peer closed): no buffer is
    // needed while waiting, so an idle keep-alive connection holds none.
    template <typename Token>
    auto async_wait_readable(Token&& token) {
        return asio::async_initiate<Token, void(beast::error_code)>(
            [this](auto handler) {
                start_operation();
                socket_.async_wait(Socket::wait_read,
                                   TimeoutAware<decltype(handler)>{std::move(handler), this});
            },
            token);
    }

    template <typename Token>
    auto async_connect(const tcp::endpoint& endpoint, Token&& token) {
        return asio::async_initiate<Token, void(beast::error_code)>(
            [this](auto handler, const tcp::endpoint& to) {
                start_operation();
                socket_.async_connect(to,
                                      TimeoutAware<decltype(handler)>{std::move(handler), this});
            },
            token, endpoint);
    }

  private:
    friend class Watchdog;

    // Completes the caller's handler, reporting a close by the watchdog as a timeout; keeps the
    // handler's executor and allocator (Asio's recycled operation memory).
    template <typename Handler>
    struct TimeoutAware {
        Handler handler;
        DeadlineStream* stream;

        using executor_type = asio::associated_executor_t<Handler, DeadlineStream::executor_type>;
        executor_type get_executor() const noexcept {
            return asio::get_associated_executor(handler, stream->socket_.get_executor());
        }
        using allocator_type = asio::associated_allocator_t<Handler>;
        allocator_type get_allocator() const noexcept {
            return asio::get_associated_allocator(handler);
        }

        void operator()(beast::error_code ec, std::size_t bytes) {
            --stream->pending_;
            if (ec && stream->timed_out_) ec = beast::error::timeout;
            std::move(handler)(ec, bytes);
        }
        void operator()(beast::error_code ec) {
            --stream->pending_;
            if (ec && stream->timed_out_) ec = beast::error::timeout;
            std::move(handler)(ec);
        }
    };

    void start_operation() noexcept {
        // The deadline passed while idle: close, so this operation fails at once.
        if (overdue_) expire(Expiry::close);
        ++pending_;
    }
    // Past the deadline: pending operations end at once (with timeout, above).
    enum class Expiry { cancel, close };
    void expire(Expiry how) noexcept;

    Socket socket_;
    Watchdog& watchdog_;
    Clock::time_point deadline_ = Clock::time_point::max();
    bool timed_out_ = false;
    bool overdue_ = false;                // past the deadline with no operation pending
    unsigned pending_ = 0;                // operations started and not yet completed
    DeadlineStream* previous_ = nullptr;  // the watchdog's list
    DeadlineStream* next_ = nullptr;
};

}  // namespace switchyard::proxy
