#pragma once
// Request ids for requests that arrive without X-Request-Id: unique across workers and restarts
// (random per-worker prefix) and cheap (a counter, formatted into a fixed buffer).
#include <array>
#include <cstdint>
#include <string_view>

namespace switchyard::proxy {

class RequestIdGenerator {
  public:
    explicit RequestIdGenerator(std::uint64_t random_prefix) : prefix_(random_prefix) {}

    // 32 lowercase hex digits; the view lives until the next call.
    std::string_view next() noexcept;

  private:
    std::uint64_t prefix_;
    std::uint64_t counter_ = 0;
    std::array<char, 32> text_{};
};

}  // namespace switchyard::proxy
