#include "dynamo/container_provider.hpp"

#include <fstream>
#include <sstream>

#include "dynamo/credentials_document.hpp"
#include "dynamo/http_connection.hpp"

namespace switchyard::dynamo {
namespace {

// The SDKs accept a full URI over plain HTTP only to this machine or the ECS/EKS link-local
// endpoints, so a token is never sent in the clear across a network.
bool plain_http_allowed(const std::string& host) {
    return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1" ||
           host == "169.254.170.2" || host == "169.254.170.23" || host == "fd00:ec2::23";
}

Result<std::string> authorization_token(const Environment& environment) {
    if (auto token = environment("AWS_CONTAINER_AUTHORIZATION_TOKEN")) return *token;
    if (auto path = environment("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
        std::ifstream file(*path);
        if (!file) return Error{"cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + *path};
        std::ostringstream text;
        text << file.rdbuf();
        std::string token = text.str();
        while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
        return token;
    }
    return std::string();
}

}  // namespace

ContainerProvider::ContainerProvider(Environment environment)
    : ContainerProvider(std::move(environment), Options{}) {}

ContainerProvider::ContainerProvider(Environment environment, Options options)
    : environment_(std::move(environment)), options_(std::move(options)) {}

CredentialsLookup ContainerProvider::load() {
    const auto relative = environment_("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const auto full = environment_("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (!relative && !full) return no_credentials_here();
    const std::string text = relative ? options_.relative_uri_base + *relative : *full;
    auto url = parse_url(text);
    if (!url) return Error{"container credentials endpoint: " + url.error().message};
    if (full && !relative && !url->tls() && !plain_http_allowed(url->host)) {
        return Error{"AWS_CONTAINER_CREDENTIALS_FULL_URI " + text +
                     " is plain http to a remote host: use https, a loopback or the ECS address"};
    }
    auto token = authorization_token(environment_);
    if (!token) return token.error();

    HttpRequest request;
    request.target = url->target;
    request.headers.push_back({"Accept", "application/json"});
    if (!token->empty()) request.headers.push_back({"Authorization", *token});
    HttpConnection connection(*url, ConnectionOptions{.connect_timeout = options_.timeout});
    auto answer = connection.exchange(request, options_.timeout);
    if (!answer)
        return Error{"container credentials endpoint " + text + ": " + answer.error().message};
    if (answer->status != 200) {
        return Error{"container credentials endpoint " + text + " answered HTTP " +
                     std::to_string(answer->status)};
    }
    auto credentials = parse_credentials_document(answer->body, "container endpoint " + text);
    if (!credentials) return credentials.error();
    return CredentialsLookup(std::move(*credentials));
}

}  // namespace switchyard::dynamo
