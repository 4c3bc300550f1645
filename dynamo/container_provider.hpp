#pragma once
// Credentials from the ECS (and EKS Pod Identity) container endpoint:
// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on http://169.254.170.2, or
// AWS_CONTAINER_CREDENTIALS_FULL_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN (or the file named by
// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) as the Authorization header. Neither variable set: not
// here, at once, without a packet sent.
#include <chrono>
#include <string>

#include "dynamo/credentials.hpp"

namespace switchyard::dynamo {

class ContainerProvider : public CredentialsProvider {
  public:
    struct Options {
        // Where a relative URI points; tests point it at a loopback server.
        std::string relative_uri_base = "http://169.254.170.2";
        std::chrono::milliseconds timeout{2000};
    };

    explicit ContainerProvider(Environment environment = process_environment());
    ContainerProvider(Environment environment, Options options);
    std::string name() const override { return "container credentials endpoint"; }
    CredentialsLookup load() override;

  private:
    Environment environment_;
    Options options_;
};

}  // namespace switchyard::dynamo
