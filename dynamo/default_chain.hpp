#pragma once
// The usual AWS order: environment, shared credentials file, container endpoint, EC2 instance
// metadata (AWS_EC2_METADATA_SERVICE_ENDPOINT overrides its address).
#include <memory>

#include "dynamo/credentials.hpp"

namespace switchyard::dynamo {

std::shared_ptr<CredentialsProvider> make_default_chain(
    Environment environment = process_environment());

}  // namespace switchyard::dynamo
