#pragma once
// Everything the engine needs from the config, as plain values (no Beast, no JSON).
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace switchyard::proxy {

struct ListenAddress {
    std::string host;        // "0.0.0.0", "127.0.0.1", "::1" (no brackets)
    std::uint16_t port = 0;  // 0: the OS picks; every worker then shares the port it picked
};

struct UpstreamUrl {
    std::string host;  // as written; resolved at start
    std::uint16_t port = 80;
    std::string host_header;  // "host:port", unused today (the client's Host is forwarded)
};

struct Timeouts {
    std::chrono::milliseconds client_header{10'000};  // first byte to end of headers
    std::chrono::milliseconds client_idle{60'000};    // keep-alive wait, and body inactivity
    std::chrono::milliseconds upstream_connect{2'000};
    std::chrono::milliseconds upstream_response{30'000};  // request sent to response headers, and
                                                          // body inactivity
    std::chrono::milliseconds upstream_idle{15'000};      // pooled connection max idle time;
                                                          // keep below the backends' keep-alive
    std::chrono::milliseconds drain{10'000};              // SIGTERM to forced exit
    std::chrono::milliseconds door_journal{5'000};        // a first write waits this long for
                                                          // its door closing to be durable: 503
};

struct Limits {
    std::uint32_t max_header_bytes = 16 * 1024;       // 431 beyond
    std::uint32_t max_url_bytes = 8 * 1024;           // 414 beyond
    std::uint64_t max_body_bytes = 0;                 // 413 beyond; 0 = unlimited (bodies stream)
    std::size_t body_buffer_bytes = 64 * 1024;        // per direction per connection
    std::size_t max_idle_upstream_per_backend = 256;  // per worker thread
};

struct ProxySettings {
    std::vector<ListenAddress> listen;
    unsigned threads = 0;  // 0: one per core
    std::vector<UpstreamUrl> legacy;
    std::vector<UpstreamUrl> new_side;
    Timeouts timeouts;
    Limits limits;
    std::chrono::milliseconds read_your_writes{2'000};  // `reads`: reads after a write stay on
                                                        // legacy this long (replication lag)
};

}  // namespace switchyard::proxy
