#pragma once
// What a DynamoDB call can fail with, by kind, with a message an operator can act on. The kinds
// the flag store branches on (condition_failed, transaction_cancelled) are never retried.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace switchyard::dynamo {

enum class ErrorKind {
    condition_failed,       // ConditionalCheckFailedException: the write's condition was false
    transaction_cancelled,  // TransactionCanceledException: nothing written; see reasons
    transaction_conflict,   // TransactionConflictException: another transaction holds an item
    validation,             // ValidationException, SerializationException: our request is wrong
    table_not_found,        // ResourceNotFoundException
    table_exists,           // ResourceInUseException (CreateTable on an existing table)
    access_denied,          // AccessDeniedException: the IAM policy lacks an action
    bad_credentials,        // UnrecognizedClientException, InvalidSignatureException, ...
    expired_credentials,    // ExpiredTokenException
    no_credentials,         // no provider of the chain had credentials
    throttled,              // ProvisionedThroughputExceeded, Throttling, RequestLimitExceeded
    server_error,           // HTTP 5xx, InternalServerError, ServiceUnavailable
    connection,             // connect, TLS, read or write failed
    certificate_refused,    // the endpoint's certificate did not verify (chain or host name)
    timeout,                // the attempt or the call ran out of time
    unsupported_operation,  // UnknownOperationException: the endpoint lacks the operation
    other,
};

std::string_view to_string(ErrorKind kind);

// One entry per item of a TransactWriteItems, in request order; code "None" for the items that
// did not cause the cancellation.
struct CancellationReason {
    std::string code{};  // "None", "ConditionalCheckFailed", "TransactionConflict", ...
    std::string message{};
    std::optional<nlohmann::json> item{};  // with ReturnValuesOnConditionCheckFailure=ALL_OLD
};

struct DynamoError {
    ErrorKind kind = ErrorKind::other;
    std::string aws_type{};  // "ConditionalCheckFailedException", without the namespace prefix
    std::string message{};   // what happened and what to do about it
    int http_status = 0;     // 0 when no answer came
    int attempts = 1;
    // An attempt, this one or an earlier one, may have been applied although its answer was
    // lost (sent, then the connection failed or a 5xx came): a condition_failed after that may
    // be our own write.
    bool maybe_applied = false;
    std::vector<CancellationReason> cancellation_reasons{};
    std::optional<nlohmann::json> item{};  // the item as it was, when the call asked for ALL_OLD
};

template <typename T>
using Outcome = Result<T, DynamoError>;

// Where a call went, for the messages: "table switchyard-flags not found in eu-west-1".
struct ErrorContext {
    std::string operation{};  // "PutItem"
    std::string table{};
    std::string region{};
};

// Maps a DynamoDB error answer (JSON 1.0 protocol: {"__type": "...#Name", "message": "..."}).
DynamoError map_service_error(int http_status, std::string_view body, const ErrorContext& context);

}  // namespace switchyard::dynamo
