#pragma once
// AWS Signature Version 4, header form, step by step as AWS documents it ("Create a signed AWS
// API request"): canonical request, string to sign, signing key, signature, Authorization.
// Plain types only; every step is public so the known-answer tests can check each one.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/crypto.hpp"

namespace switchyard::dynamo::sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

struct Header {
    std::string name{};
    std::string value{};
};

struct Request {
    std::string method{};
    std::string path = "/";         // decoded; each byte but unreserved ones and '/' is encoded
    std::string query{};            // already encoded "a=1&b=2"; sorted here
    std::vector<Header> headers{};  // every header to sign, Host and X-Amz-Date included
    std::string payload_sha256_hex{};
};

struct Scope {
    std::string date{};  // YYYYMMDD, the first 8 characters of the X-Amz-Date value
    std::string region{};
    std::string service{};
};

struct Signed {
    std::string canonical_request{};
    std::string string_to_sign{};
    std::string signature{};      // lowercase hex
    std::string authorization{};  // the Authorization header's value
};

// "20150830T123600Z": the X-Amz-Date format (ISO 8601 basic, UTC).
std::string amz_date(std::chrono::system_clock::time_point when);

std::string uri_encode(std::string_view text, bool keep_slash);
std::string canonical_uri(std::string_view path);
std::string canonical_query(std::string_view query);
std::string canonical_headers(const std::vector<Header>& headers);
std::string signed_headers(const std::vector<Header>& headers);
std::string canonical_request(const Request& request);

std::string credential_scope(const Scope& scope);
std::string string_to_sign(std::string_view amz_date, const Scope& scope,
                           std::string_view canonical_request);
Digest signing_key(std::string_view secret_access_key, const Scope& scope);
std::string signature(const Digest& signing_key, std::string_view string_to_sign);
std::string authorization(std::string_view access_key_id, const Scope& scope,
                          std::string_view signed_headers, std::string_view signature);

// All of the above in order. `amz_date` must equal the request's X-Amz-Date header.
Signed sign(const Request& request, std::string_view amz_date, const Scope& scope,
            std::string_view access_key_id, std::string_view secret_access_key);

}  // namespace switchyard::dynamo::sigv4
