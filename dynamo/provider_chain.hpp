#pragma once
// Tries providers in order and takes the first that has credentials; when none has, the error
// says what each one found, so "no credentials" is never a mystery.
#include <memory>
#include <vector>

#include "dynamo/credentials.hpp"

namespace switchyard::dynamo {

class ProviderChain : public CredentialsProvider {
  public:
    explicit ProviderChain(std::vector<std::shared_ptr<CredentialsProvider>> providers);
    std::string name() const override { return "credentials chain"; }
    CredentialsLookup load() override;

  private:
    std::vector<std::shared_ptr<CredentialsProvider>> providers_;
};

}  // namespace switchyard::dynamo
