#pragma once
// One JSON line per request, written by spdlog's background thread: never flushed per request,
// never blocks the request path (under overload the oldest queued lines are dropped, and counted).
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
}

namespace switchyard::proxy {

struct AccessRecord {
    std::string_view request_id;
    std::string_view tenant;
    std::size_t route_index = 0;
    std::string_view policy;
    std::string_view stage;
    std::string_view side;
    std::string_view method;
    std::string_view path;
    unsigned status = 0;
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
    std::chrono::microseconds upstream_latency{0};
    std::chrono::microseconds total_latency{0};
    std::string_view error;  // empty when the exchange succeeded
};

class AccessLog {
  public:
    // path "-" writes to standard output; enabled=false makes write() a no-op.
    AccessLog(bool enabled, const std::string& path);
    ~AccessLog();
    AccessLog(const AccessLog&) = delete;
    AccessLog& operator=(const AccessLog&) = delete;

    bool enabled() const noexcept { return logger_ != nullptr; }
    void write(const AccessRecord& record);
    // Lines dropped since start because the queue was full (the oldest go first).
    std::uint64_t lines_dropped() const;
    void flush();

  private:
    std::shared_ptr<spdlog::logger> logger_;
};

// Appends `text` to `out` as the inside of a JSON string.
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace switchyard::proxy
