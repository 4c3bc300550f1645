#pragma once
// When and how long to wait before trying a DynamoDB call again, as the AWS SDKs do: exponential
// backoff with full jitter, bounded attempts, and never for an answer that will not change
// (a failed condition, a cancelled transaction, an invalid request). Pure: the random value is
// passed in, so tests pin it.
#include <chrono>
#include <cstdint>

#include "dynamo/error.hpp"

namespace switchyard::dynamo {

struct RetryOptions {
    int max_attempts = 10;  // the SDKs' DynamoDB default: 10 for throttling
    std::chrono::milliseconds base_delay{25};
    std::chrono::milliseconds throttling_base_delay{50};
    std::chrono::milliseconds max_delay{20000};
};

enum class RetryClass {
    never,       // the same request would fail the same way
    transient,   // 5xx, connection errors, time-outs, transaction conflicts
    throttling,  // the table or the account is over its rate
};

RetryClass classify(const DynamoError& error);

class RetryPolicy {
  public:
    explicit RetryPolicy(RetryOptions options = {});

    const RetryOptions& options() const noexcept { return options_; }

    // After `attempts_made` attempts, the last of which failed with `error`.
    bool should_retry(const DynamoError& error, int attempts_made) const;

    // The upper bound of the wait before retry number `retry` (1 for the first retry):
    // min(max_delay, base * 2^(retry-1)).
    std::chrono::milliseconds ceiling(int retry, RetryClass why) const;

    // Full jitter: uniform in [0, ceiling], drawn from `random`.
    std::chrono::milliseconds delay(int retry, RetryClass why, std::uint64_t random) const;

  private:
    RetryOptions options_;
};

}  // namespace switchyard::dynamo
