#include "dynamo/environment_provider.hpp"

namespace switchyard::dynamo {

EnvironmentProvider::EnvironmentProvider(Environment environment)
    : environment_(std::move(environment)) {}

CredentialsLookup EnvironmentProvider::load() {
    auto key_id = environment_("AWS_ACCESS_KEY_ID");
    auto secret = environment_("AWS_SECRET_ACCESS_KEY");
    if (!key_id && !secret) return no_credentials_here();
    if (!key_id || !secret) {
        return Error{std::string(key_id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") +
                     " is not set, but " +
                     (key_id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") +
                     " is: set both or neither"};
    }
    Credentials credentials;
    credentials.access_key_id = std::move(*key_id);
    credentials.secret_access_key = Secret(std::move(*secret));
    if (auto token = environment_("AWS_SESSION_TOKEN")) {
        credentials.session_token = Secret(std::move(*token));
    }
    credentials.source = "environment";
    return CredentialsLookup(std::move(credentials));
}

}  // namespace switchyard::dynamo
