#include "proxy/deadline_stream.hpp"

namespace switchyard::proxy {

void Watchdog::watch(DeadlineStream& stream) noexcept {
    stream.next_ = first_;
    if (first_) first_->previous_ = &stream;
    first_ = &stream;
    if (!ticking_) schedule();
}

void Watchdog::forget(DeadlineStream& stream) noexcept {
    if (stream.previous_) {
        stream.previous_->next_ = stream.next_;
    } else {
        first_ = stream.next_;
    }
    if (stream.next_) stream.next_->previous_ = stream.previous_;
    stream.previous_ = stream.next_ = nullptr;
}

void Watchdog::stop() {
    stopped_ = true;
    timer_.reset();
}

void Watchdog::schedule() {
    if (stopped_ || !timer_) return;
    ticking_ = true;
    timer_->expires_after(kTick);
    timer_->async_wait([this](const beast::error_code& ec) {
        ticking_ = false;
        if (ec) return;  // cancelled: stopping
        tick();
    });
}

void Watchdog::tick() {
    const auto now = DeadlineStream::Clock::now();
    for (auto* stream = first_; stream;) {
        auto* next = stream->next_;  // expire() may end a session, but not before we move on
        if (now >= stream->deadline_) {
            if (stream->pending_ > 0) {
                stream->expire(DeadlineStream::Expiry::cancel);
            } else {
                stream->overdue_ = true;
            }
        }
        stream = next;
    }
    if (first_) schedule();  // nothing to watch: the next watch() starts ticking again
}

void DeadlineStream::expire(Expiry how) noexcept {
    timed_out_ = true;
    overdue_ = false;
    deadline_ = Clock::time_point::max();
    beast::error_code ignored;
    if (how == Expiry::cancel) {
        socket_.cancel(ignored);  // the socket stays open for an answer that says why
    } else {
        socket_.close(ignored);
    }
}

}  // namespace switchyard::proxy
