#include "dynamo/error.hpp"

#include <array>
#include <utility>

namespace switchyard::dynamo {
namespace {

struct TypeKind {
    std::string_view type;
    ErrorKind kind;
};

constexpr std::array kKnownTypes{
    TypeKind{"ConditionalCheckFailedException", ErrorKind::condition_failed},
    TypeKind{"TransactionCanceledException", ErrorKind::transaction_cancelled},
    TypeKind{"TransactionConflictException", ErrorKind::transaction_conflict},
    TypeKind{"ValidationException", ErrorKind::validation},
    TypeKind{"SerializationException", ErrorKind::validation},
    TypeKind{"ItemCollectionSizeLimitExceededException", ErrorKind::validation},
    TypeKind{"ResourceNotFoundException", ErrorKind::table_not_found},
    TypeKind{"ResourceInUseException", ErrorKind::table_exists},
    TypeKind{"AccessDeniedException", ErrorKind::access_denied},
    TypeKind{"UnrecognizedClientException", ErrorKind::bad_credentials},
    TypeKind{"InvalidSignatureException", ErrorKind::bad_credentials},
    TypeKind{"IncompleteSignatureException", ErrorKind::bad_credentials},
    TypeKind{"MissingAuthenticationTokenException", ErrorKind::bad_credentials},
    TypeKind{"SignatureDoesNotMatch", ErrorKind::bad_credentials},
    TypeKind{"ExpiredTokenException", ErrorKind::expired_credentials},
    TypeKind{"ProvisionedThroughputExceededException", ErrorKind::throttled},
    TypeKind{"ThrottlingException", ErrorKind::throttled},
    TypeKind{"RequestLimitExceeded", ErrorKind::throttled},
    TypeKind{"InternalServerError", ErrorKind::server_error},
    TypeKind{"ServiceUnavailable", ErrorKind::server_error},
    TypeKind{"UnknownOperationException", ErrorKind::unsupported_operation},
};

ErrorKind kind_of(std::string_view type, int http_status) {
    for (const auto& known : kKnownTypes) {
        if (known.type == type) return known.kind;
    }
    return http_status >= 500 ? ErrorKind::server_error : ErrorKind::other;
}

std::string string_field(const nlohmann::json& body, const char* lower, const char* upper) {
    for (const char* name : {lower, upper}) {
        const auto it = body.find(name);
        if (it != body.end() && it->is_string()) return it->get<std::string>();
    }
    return {};
}

// "Transaction cancelled, please refer cancellation reasons for specific reasons [A, None]":
// what an answer without a CancellationReasons list still says about each item.
std::vector<CancellationReason> reasons_from_message(std::string_view message) {
    std::vector<CancellationReason> reasons;
    const auto open = message.rfind('[');
    const auto close = message.rfind(']');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
        return reasons;
    }
    auto list = message.substr(open + 1, close - open - 1);
    while (!list.empty()) {
        const auto comma = list.find(',');
        auto code = list.substr(0, comma);
        while (!code.empty() && code.front() == ' ') code.remove_prefix(1);
        while (!code.empty() && code.back() == ' ') code.remove_suffix(1);
        reasons.push_back(CancellationReason{std::string(code), {}, std::nullopt});
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
    return reasons;
}

std::vector<CancellationReason> cancellation_reasons(const nlohmann::json& body,
                                                     std::string_view message) {
    const auto it = body.find("CancellationReasons");
    if (it == body.end() || !it->is_array()) return reasons_from_message(message);
    std::vector<CancellationReason> reasons;
    for (const auto& entry : *it) {
        CancellationReason reason;
        reason.code = string_field(entry, "Code", "code");
        reason.message = string_field(entry, "Message", "message");
        if (const auto item = entry.find("Item"); item != entry.end()) reason.item = *item;
        reasons.push_back(std::move(reason));
    }
    return reasons;
}

std::string describe_reasons(const std::vector<CancellationReason>& reasons) {
    std::string out;
    for (std::size_t i = 0; i < reasons.size(); ++i) {
        if (reasons[i].code == "None" || reasons[i].code.empty()) continue;
        if (!out.empty()) out += ", ";
        out += "item " + std::to_string(i) + ": " + reasons[i].code;
        if (!reasons[i].message.empty()) out += " (" + reasons[i].message + ")";
    }
    return out.empty() ? std::string("no reason given") : out;
}

// IAM has no TransactWriteItems action: a transaction needs the action of each of its items.
std::string iam_actions(const std::string& operation) {
    if (operation == "TransactWriteItems") {
        return "dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem and "
               "dynamodb:ConditionCheckItem (as the transaction's items use them)";
    }
    return "dynamodb:" + operation;
}

std::string table_arn(const ErrorContext& context) {
    return "arn:aws:dynamodb:" + context.region + ":<account>:table/" + context.table;
}

std::string clear_message(const DynamoError& error, std::string_view aws_message,
                          const ErrorContext& context) {
    const std::string said =
        aws_message.empty() ? std::string() : " (DynamoDB said: " + std::string(aws_message) + ")";
    const std::string& op = context.operation;
    switch (error.kind) {
        case ErrorKind::condition_failed:
            return op + " on table " + context.table + ": the condition was not met";
        case ErrorKind::transaction_cancelled:
            return "TransactWriteItems cancelled, nothing was written: " +
                   describe_reasons(error.cancellation_reasons);
        case ErrorKind::transaction_conflict:
            return op + " on table " + context.table +
                   " conflicted with another transaction on the same item" + said;
        case ErrorKind::validation:
            return "DynamoDB refused the " + op + " request as invalid" + said;
        case ErrorKind::table_not_found:
            return "table " + context.table + " not found in " + context.region +
                   ": create it with `switchyard ctl init-table`" + said;
        case ErrorKind::table_exists:
            return "table " + context.table + " already exists in " + context.region + said;
        case ErrorKind::access_denied:
            return "access denied: the IAM policy needs " + iam_actions(op) + " on " +
                   table_arn(context) + said;
        case ErrorKind::bad_credentials:
            return "DynamoDB in " + context.region + " rejected the credentials (" +
                   error.aws_type +
                   "): check the access key id and secret, the region and this machine's "
                   "clock" +
                   said;
        case ErrorKind::expired_credentials:
            return "the credentials' session token has expired: renew them (a new session, or "
                   "the instance or task role)" +
                   said;
        case ErrorKind::throttled:
            return op + " on table " + context.table + " was throttled (" + error.aws_type +
                   "): raise the table's capacity or switch it to on-demand" + said;
        case ErrorKind::server_error:
            return "DynamoDB answered HTTP " + std::to_string(error.http_status) + " to " + op +
                   (error.aws_type.empty() ? std::string() : " (" + error.aws_type + ")") + said;
        case ErrorKind::unsupported_operation:
            return "the endpoint does not support " + op + said;
        default:
            return op + " failed with HTTP " + std::to_string(error.http_status) +
                   (error.aws_type.empty() ? std::string() : " (" + error.aws_type + ")") + said;
    }
}

}  // namespace

std::string_view to_string(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::condition_failed:
            return "condition_failed";
        case ErrorKind::transaction_cancelled:
            return "transaction_cancelled";
        case ErrorKind::transaction_conflict:
            return "transaction_conflict";
        case ErrorKind::validation:
            return "validation";
        case ErrorKind::table_not_found:
            return "table_not_found";
        case ErrorKind::table_exists:
            return "table_exists";
        case ErrorKind::access_denied:
            return "access_denied";
        case ErrorKind::bad_credentials:
            return "bad_credentials";
        case ErrorKind::expired_credentials:
            return "expired_credentials";
        case ErrorKind::no_credentials:
            return "no_credentials";
        case ErrorKind::throttled:
            return "throttled";
        case ErrorKind::server_error:
            return "server_error";
        case ErrorKind::connection:
            return "connection";
        case ErrorKind::certificate_refused:
            return "certificate_refused";
        case ErrorKind::timeout:
            return "timeout";
        case ErrorKind::unsupported_operation:
            return "unsupported_operation";
        case ErrorKind::other:
            return "other";
    }
    return "other";
}

DynamoError map_service_error(int http_status, std::string_view body, const ErrorContext& context) {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    const auto parsed = json.is_object() ? json : nlohmann::json::object();
    std::string type = string_field(parsed, "__type", "__Type");
    if (const auto hash = type.rfind('#'); hash != std::string::npos) type.erase(0, hash + 1);
    // dynalite answers an unknown X-Amz-Target with a bare XML body and HTTP 404 or 400.
    if (type.empty() && body.find("UnknownOperationException") != std::string_view::npos) {
        type = "UnknownOperationException";
    }
    const std::string aws_message = string_field(parsed, "message", "Message");

    DynamoError error;
    error.kind = kind_of(type, http_status);
    error.aws_type = type;
    error.http_status = http_status;
    if (error.kind == ErrorKind::transaction_cancelled) {
        error.cancellation_reasons = cancellation_reasons(parsed, aws_message);
    }
    if (const auto item = parsed.find("Item"); item != parsed.end()) error.item = *item;
    error.message = clear_message(error, aws_message, context);
    return error;
}

}  // namespace switchyard::dynamo
