#include "dynamo/retry_policy.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace switchyard::dynamo {
namespace {

using namespace std::chrono_literals;

DynamoError error_of(ErrorKind kind) {
    DynamoError error;
    error.kind = kind;
    return error;
}

TEST(RetryPolicy, RetriesThrottlingServerAndConnectionErrors) {
    const RetryPolicy policy;
    for (const auto kind : {ErrorKind::throttled, ErrorKind::server_error, ErrorKind::connection,
                            ErrorKind::timeout, ErrorKind::transaction_conflict}) {
        EXPECT_TRUE(policy.should_retry(error_of(kind), 1)) << to_string(kind);
    }
}

TEST(RetryPolicy, NeverRetriesAnswersThatWillNotChange) {
    const RetryPolicy policy;
    for (const auto kind :
         {ErrorKind::condition_failed, ErrorKind::transaction_cancelled, ErrorKind::validation,
          ErrorKind::table_not_found, ErrorKind::access_denied, ErrorKind::bad_credentials,
          ErrorKind::unsupported_operation, ErrorKind::certificate_refused, ErrorKind::other}) {
        EXPECT_FALSE(policy.should_retry(error_of(kind), 1)) << to_string(kind);
    }
}

TEST(RetryPolicy, StopsAtMaxAttempts) {
    const RetryPolicy policy(RetryOptions{.max_attempts = 10});
    EXPECT_TRUE(policy.should_retry(error_of(ErrorKind::throttled), 9));
    EXPECT_FALSE(policy.should_retry(error_of(ErrorKind::throttled), 10));
}

TEST(RetryPolicy, CeilingDoublesFromTheBaseUpToTheCap) {
    const RetryPolicy policy(RetryOptions{
        .max_attempts = 100, .base_delay = 25ms, .throttling_base_delay = 50ms, .max_delay = 20s});
    EXPECT_EQ(policy.ceiling(1, RetryClass::transient), 25ms);
    EXPECT_EQ(policy.ceiling(2, RetryClass::transient), 50ms);
    EXPECT_EQ(policy.ceiling(5, RetryClass::transient), 400ms);
    EXPECT_EQ(policy.ceiling(1, RetryClass::throttling), 50ms);
    EXPECT_EQ(policy.ceiling(10, RetryClass::throttling), 20s);  // 50ms * 512 = 25.6s, capped
    EXPECT_EQ(policy.ceiling(1000, RetryClass::throttling), 20s);
}

TEST(RetryPolicy, FullJitterStaysWithinZeroAndTheCeiling) {
    const RetryPolicy policy;
    for (int retry = 1; retry <= 12; ++retry) {
        const auto bound = policy.ceiling(retry, RetryClass::throttling);
        EXPECT_EQ(policy.delay(retry, RetryClass::throttling, 0), 0ms);
        EXPECT_EQ(
            policy.delay(retry, RetryClass::throttling, static_cast<std::uint64_t>(bound.count())),
            bound);
        for (const std::uint64_t random :
             {std::uint64_t{1}, std::uint64_t{12345}, std::numeric_limits<std::uint64_t>::max()}) {
            const auto wait = policy.delay(retry, RetryClass::throttling, random);
            EXPECT_GE(wait, 0ms);
            EXPECT_LE(wait, bound);
        }
    }
}

}  // namespace
}  // namespace switchyard::dynamo
