#pragma once
// Credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
#include "dynamo/credentials.hpp"

namespace switchyard::dynamo {

class EnvironmentProvider : public CredentialsProvider {
  public:
    explicit EnvironmentProvider(Environment environment = process_environment());
    std::string name() const override { return "environment"; }
    CredentialsLookup load() override;

  private:
    Environment environment_;
};

}  // namespace switchyard::dynamo
