#pragma once
// Credentials from the shared credentials file: AWS_SHARED_CREDENTIALS_FILE or
// ~/.aws/credentials, profile AWS_PROFILE or "default". An INI file:
//   [default]
//   aws_access_key_id = AKID...
//   aws_secret_access_key = ...
//   aws_session_token = ...        (optional)
#include <string_view>

#include "dynamo/credentials.hpp"

namespace switchyard::dynamo {

// The profile's credentials in `text`; nullopt when the file has no such profile. `path` only
// names the file in messages.
CredentialsLookup parse_credentials_file(std::string_view text, std::string_view profile,
                                         std::string_view path);

class SharedFileProvider : public CredentialsProvider {
  public:
    explicit SharedFileProvider(Environment environment = process_environment());
    std::string name() const override { return "shared credentials file"; }
    CredentialsLookup load() override;

  private:
    Environment environment_;
};

}  // namespace switchyard::dynamo
