#pragma once
// What the DynamoDB tests share: fixed credentials (dynalite checks none), a client on an
// endpoint with test-sized timeouts, and table names no two tests share.
#include <memory>
#include <string>

#include "dynamo/client.hpp"

namespace switchyard::dynamo::test {

class FixedCredentials : public CredentialsProvider {
  public:
    std::string name() const override { return "fixed test credentials"; }
    CredentialsLookup load() override;
};

ClientConfig test_config(const std::string& endpoint);
std::unique_ptr<Client> make_client(const ClientConfig& config);
std::string unique_table_name(const std::string& purpose);

}  // namespace switchyard::dynamo::test
