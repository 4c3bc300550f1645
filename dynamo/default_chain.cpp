#include "dynamo/default_chain.hpp"

#include "dynamo/container_provider.hpp"
#include "dynamo/environment_provider.hpp"
#include "dynamo/instance_metadata_provider.hpp"
#include "dynamo/provider_chain.hpp"
#include "dynamo/shared_file_provider.hpp"

namespace switchyard::dynamo {

std::shared_ptr<CredentialsProvider> make_default_chain(Environment environment) {
    InstanceMetadataProvider::Options metadata;
    if (auto endpoint = environment("AWS_EC2_METADATA_SERVICE_ENDPOINT")) {
        metadata.endpoint = *endpoint;
    }
    return std::make_shared<ProviderChain>(std::vector<std::shared_ptr<CredentialsProvider>>{
        std::make_shared<EnvironmentProvider>(environment),
        std::make_shared<SharedFileProvider>(environment),
        std::make_shared<ContainerProvider>(environment),
        std::make_shared<InstanceMetadataProvider>(environment, metadata)});
}

}  // namespace switchyard::dynamo
