#pragma once
// Builds the HTTP request of one DynamoDB call (JSON 1.0 protocol) and signs it with SigV4:
// POST / with Content-Type application/x-amz-json-1.0, X-Amz-Target DynamoDB_20120810.<Op>,
// X-Amz-Date, X-Amz-Security-Token when the credentials have one, and Authorization.
#include <chrono>
#include <string>
#include <string_view>

#include "dynamo/credentials.hpp"
#include "dynamo/http_message.hpp"
#include "dynamo/url.hpp"

namespace switchyard::dynamo {

inline constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";
inline constexpr std::string_view kContentType = "application/x-amz-json-1.0";

HttpRequest signed_request(const Url& endpoint, std::string_view region, std::string_view operation,
                           std::string body, const Credentials& credentials,
                           std::chrono::system_clock::time_point now);

}  // namespace switchyard::dynamo
