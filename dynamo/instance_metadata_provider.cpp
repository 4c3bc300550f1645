#include "dynamo/instance_metadata_provider.hpp"

#include "dynamo/credentials_document.hpp"
#include "dynamo/http_connection.hpp"

namespace switchyard::dynamo {
namespace {

constexpr const char* kTokenPath = "/latest/api/token";
constexpr const char* kRolesPath = "/latest/meta-data/iam/security-credentials/";

std::string first_line(const std::string& text) {
    const auto end = text.find_first_of("\r\n");
    return text.substr(0, end);
}

}  // namespace

InstanceMetadataProvider::InstanceMetadataProvider(Environment environment)
    : InstanceMetadataProvider(std::move(environment), Options{}) {}

InstanceMetadataProvider::InstanceMetadataProvider(Environment environment, Options options)
    : environment_(std::move(environment)), options_(std::move(options)) {}

CredentialsLookup InstanceMetadataProvider::load() {
    const auto disabled = environment_("AWS_EC2_METADATA_DISABLED");
    if (disabled && (*disabled == "true" || *disabled == "TRUE" || *disabled == "1")) {
        return no_credentials_here();
    }
    std::lock_guard lock(mutex_);
    const std::string& base = options_.endpoint;
    if (std::chrono::steady_clock::now() < unreachable_until_) {
        return Error{base + " was unreachable a moment ago"};
    }
    auto url = parse_url(base);
    if (!url) return Error{"instance metadata endpoint: " + url.error().message};
    HttpConnection connection(*url, ConnectionOptions{.connect_timeout = options_.connect_timeout});

    HttpRequest token_request;
    token_request.method = "PUT";
    token_request.target = kTokenPath;
    token_request.headers.push_back(
        {"X-aws-ec2-metadata-token-ttl-seconds", std::to_string(options_.token_ttl_seconds)});
    auto token = connection.exchange(token_request, options_.timeout);
    if (!token) {
        if (token.error().kind != TransportError::Kind::io) {
            unreachable_until_ =
                std::chrono::steady_clock::now() + options_.unreachable_retry_after;
        }
        return Error{"instance metadata at " + base + ": " + token.error().message};
    }
    if (token->status != 200) {
        return Error{"instance metadata at " + base + " refused a session token (HTTP " +
                     std::to_string(token->status) + ")"};
    }

    auto get = [&](const std::string& target) {
        HttpRequest request;
        request.target = target;
        request.headers.push_back({"X-aws-ec2-metadata-token", token->body});
        return connection.exchange(request, options_.timeout);
    };
    auto roles = get(kRolesPath);
    if (!roles) return Error{"instance metadata at " + base + ": " + roles.error().message};
    if (roles->status == 404) return Error{"this instance has no IAM role (instance profile)"};
    if (roles->status != 200) {
        return Error{"instance metadata role list answered HTTP " + std::to_string(roles->status)};
    }
    const std::string role = first_line(roles->body);
    if (role.empty()) return Error{"this instance has no IAM role (instance profile)"};

    auto document = get(kRolesPath + role);
    if (!document) return Error{"instance metadata at " + base + ": " + document.error().message};
    if (document->status != 200) {
        return Error{"instance metadata credentials of role " + role + " answered HTTP " +
                     std::to_string(document->status)};
    }
    auto credentials =
        parse_credentials_document(document->body, "instance metadata, role " + role);
    if (!credentials) return credentials.error();
    return CredentialsLookup(std::move(*credentials));
}

}  // namespace switchyard::dynamo
