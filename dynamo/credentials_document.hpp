#pragma once
// The JSON document the ECS container endpoint and EC2 instance metadata both answer with:
//   {"AccessKeyId": "...", "SecretAccessKey": "...", "Token": "...",
//    "Expiration": "2026-11-23T12:00:00Z", "Code": "Success"}   (Code: IMDS only)
#include <chrono>
#include <optional>
#include <string_view>

#include "dynamo/credentials.hpp"

namespace switchyard::dynamo {

Result<Credentials> parse_credentials_document(std::string_view body, std::string_view source);

// "2026-11-23T12:00:00Z" (fractional seconds and a numeric offset accepted); nullopt otherwise.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

}  // namespace switchyard::dynamo
