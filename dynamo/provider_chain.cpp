#include "dynamo/provider_chain.hpp"

namespace switchyard::dynamo {

ProviderChain::ProviderChain(std::vector<std::shared_ptr<CredentialsProvider>> providers)
    : providers_(std::move(providers)) {}

CredentialsLookup ProviderChain::load() {
    std::string tried;
    for (const auto& provider : providers_) {
        auto found = provider->load();
        if (found && found.value()) return found;
        if (!tried.empty()) tried += "; ";
        tried += provider->name() + ": " + (found ? std::string("none") : found.error().message);
    }
    return Error{"no AWS credentials found (" + tried +
                 "): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile in "
                 "~/.aws/credentials, or run with an instance or task role"};
}

}  // namespace switchyard::dynamo
