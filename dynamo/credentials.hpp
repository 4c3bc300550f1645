#pragma once
// AWS credentials and the providers that find them (environment, shared file, ECS container
// endpoint, EC2 instance metadata). A provider answers "none here" (nullopt: the chain moves on),
// credentials, or an error saying what is wrong with the source it found.
#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "dynamo/secret.hpp"

namespace switchyard::dynamo {

struct Credentials {
    std::string access_key_id{};
    Secret secret_access_key{};
    Secret session_token{};                                             // empty for long-term keys
    std::optional<std::chrono::system_clock::time_point> expiration{};  // none: never expire
    std::string source{};  // "environment", "shared file ~/.aws/credentials [default]", ...
};

// Prints the key id, the source and the expiry; never the secret or the token.
std::ostream& operator<<(std::ostream& out, const Credentials& credentials);

using CredentialsLookup = Result<std::optional<Credentials>>;

inline CredentialsLookup no_credentials_here() { return CredentialsLookup(std::nullopt); }

class CredentialsProvider {
  public:
    virtual ~CredentialsProvider() = default;
    virtual std::string name() const = 0;
    virtual CredentialsLookup load() = 0;
};

// Reads an environment variable; nullopt when unset or empty. Injected so tests need no setenv.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
Environment process_environment();

}  // namespace switchyard::dynamo
