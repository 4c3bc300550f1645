#pragma once
// Credentials of the EC2 instance's role through IMDSv2: PUT /latest/api/token for a session
// token, then GET /latest/meta-data/iam/security-credentials/ for the role's name and
// .../<role> for its credentials, each with X-aws-ec2-metadata-token. Off when
// AWS_EC2_METADATA_DISABLED=true. A short connect timeout, and an unreachable endpoint is not
// tried again for a minute, so machines off EC2 do not wait on it at every call.
#include <chrono>
#include <mutex>
#include <string>

#include "dynamo/credentials.hpp"

namespace switchyard::dynamo {

class InstanceMetadataProvider : public CredentialsProvider {
  public:
    struct Options {
        std::string endpoint = "http://169.254.169.254";  // tests use a loopback server
        std::chrono::milliseconds connect_timeout{1000};
        std::chrono::milliseconds timeout{2000};  // each of the three requests
        int token_ttl_seconds = 21600;
        std::chrono::seconds unreachable_retry_after{60};
    };

    explicit InstanceMetadataProvider(Environment environment = process_environment());
    InstanceMetadataProvider(Environment environment, Options options);
    std::string name() const override { return "EC2 instance metadata (IMDSv2)"; }
    CredentialsLookup load() override;

  private:
    Environment environment_;
    Options options_;
    std::mutex mutex_{};
    std::chrono::steady_clock::time_point unreachable_until_{};
};

}  // namespace switchyard::dynamo
