#include "dynamo/retry_policy.hpp"

#include <algorithm>

namespace switchyard::dynamo {

RetryClass classify(const DynamoError& error) {
    switch (error.kind) {
        case ErrorKind::throttled:
            return RetryClass::throttling;
        case ErrorKind::server_error:
        case ErrorKind::connection:
        case ErrorKind::timeout:
        case ErrorKind::transaction_conflict:
            return RetryClass::transient;
        default:
            return RetryClass::never;
    }
}

RetryPolicy::RetryPolicy(RetryOptions options) : options_(options) {}

bool RetryPolicy::should_retry(const DynamoError& error, int attempts_made) const {
    return attempts_made < options_.max_attempts && classify(error) != RetryClass::never;
}

std::chrono::milliseconds RetryPolicy::ceiling(int retry, RetryClass why) const {
    const auto base =
        why == RetryClass::throttling ? options_.throttling_base_delay : options_.base_delay;
    // Past 2^20 the cap has long been reached; the bound keeps the shift defined.
    const int doublings = std::clamp(retry - 1, 0, 20);
    const auto grown = base * (std::int64_t{1} << doublings);
    return std::min(grown, options_.max_delay);
}

std::chrono::milliseconds RetryPolicy::delay(int retry, RetryClass why,
                                             std::uint64_t random) const {
    const auto bound = static_cast<std::uint64_t>(ceiling(retry, why).count());
    return std::chrono::milliseconds(static_cast<std::int64_t>(random % (bound + 1)));
}

}  // namespace switchyard::dynamo
