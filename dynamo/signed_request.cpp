#include "dynamo/signed_request.hpp"

namespace switchyard::dynamo {

HttpRequest signed_request(const Url& endpoint, std::string_view region, std::string_view operation,
                           std::string body, const Credentials& credentials,
                           std::chrono::system_clock::time_point now) {
    const std::string date = sigv4::amz_date(now);
    sigv4::Request to_sign;
    to_sign.method = "POST";
    to_sign.path = "/";
    to_sign.headers = {{"Host", endpoint.host_header()},
                       {"X-Amz-Date", date},
                       {"X-Amz-Target", std::string(kTargetPrefix) + std::string(operation)},
                       {"Content-Type", std::string(kContentType)}};
    if (!credentials.session_token.empty()) {
        to_sign.headers.push_back({"X-Amz-Security-Token", credentials.session_token.reveal()});
    }
    to_sign.payload_sha256_hex = sha256_hex(body);
    const sigv4::Scope scope{date.substr(0, 8), std::string(region), "dynamodb"};
    const auto signature = sigv4::sign(to_sign, date, scope, credentials.access_key_id,
                                       credentials.secret_access_key.reveal());

    HttpRequest request;
    request.method = "POST";
    request.target = "/";
    request.headers = std::move(to_sign.headers);
    request.headers.push_back({"Authorization", signature.authorization});
    request.body = std::move(body);
    return request;
}

}  // namespace switchyard::dynamo
