#pragma once
// A real HTTP/1.1 origin on 127.0.0.1, port from the OS, serving from a background thread. It
// records every request that reaches it and answers as the test scripts it (OriginReply).
// Beast lives in the .cpp; this header speaks plain types.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "origin_reply.hpp"
#include "recorded_request.hpp"

namespace switchyard::test {

class TestOrigin {
  public:
    // Called for each request once its body has been read; returns what to answer.
    using Responder = std::function<OriginReply(const RecordedRequest&)>;
    // Called on the origin's thread as soon as a request's header has arrived, before its body
    // is read and before any answer: to observe state at that very moment.
    using ArrivalHook = std::function<void(const RecordedRequest&)>;

    // `name` answers in the default reply (body and X-Origin header), so a client can tell sides.
    explicit TestOrigin(std::string name = "origin");
    ~TestOrigin();
    TestOrigin(const TestOrigin&) = delete;
    TestOrigin& operator=(const TestOrigin&) = delete;

    std::uint16_t port() const noexcept;
    const std::string& name() const noexcept;
    std::string url() const;  // "http://127.0.0.1:PORT"

    // Every later request gets this reply.
    void set_reply(OriginReply reply);
    void set_responder(Responder responder);
    void set_arrival_hook(ArrivalHook hook);
    // Reads later request bodies no faster than this (0: as fast as they come), to be the slow
    // end of an upload.
    void set_body_read_rate(std::uint64_t bytes_per_second);

    std::size_t connections_accepted() const;
    std::size_t request_count() const;
    std::vector<RecordedRequest> requests() const;
    RecordedRequest last_request() const;  // a default one when there is none
    void clear_requests();

    // Closes the listener and every connection; idempotent; the destructor calls it.
    void stop();

  private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace switchyard::test
