#pragma once
// A steady stream of requests in the background while a test changes something underneath:
// counts what came back from each side and keeps the first failures (non-2xx or transport).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "header_list.hpp"

namespace switchyard::test {

struct TrafficReport {
    std::size_t requests = 0;
    std::size_t failures = 0;
    std::vector<std::string> first_failures;  // a few descriptions, for the failure message
    std::size_t legacy_answers = 0;
    std::size_t new_answers = 0;
    std::string describe() const;
};

class TrafficStream {
  public:
    // One thread on a keep-alive connection and one opening a connection per request, each
    // bounded to `max_requests` and `max_duration` in case the test never stops them.
    TrafficStream(std::uint16_t port, HeaderList headers, std::size_t max_requests = 20000,
                  std::chrono::seconds max_duration = std::chrono::seconds(30));
    ~TrafficStream();
    TrafficStream(const TrafficStream&) = delete;
    TrafficStream& operator=(const TrafficStream&) = delete;

    std::size_t requests() const { return requests_.load(); }
    TrafficReport stop();

  private:
    void run(bool keep_alive);

    std::uint16_t port_;
    HeaderList headers_;
    std::size_t max_requests_;
    std::chrono::steady_clock::time_point deadline_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> requests_{0};
    std::mutex mutex_;
    TrafficReport report_;
    std::vector<std::thread> threads_;
};

}  // namespace switchyard::test
