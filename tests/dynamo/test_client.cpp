#include "test_client.hpp"

#include <unistd.h>

#include <atomic>
#include <stdexcept>

namespace switchyard::dynamo::test {

CredentialsLookup FixedCredentials::load() {
    Credentials credentials;
    credentials.access_key_id = "AKIDTEST";
    credentials.secret_access_key = Secret("test-secret");
    credentials.source = name();
    return CredentialsLookup(std::move(credentials));
}

ClientConfig test_config(const std::string& endpoint) {
    ClientConfig config;
    config.region = "us-east-1";
    config.endpoint = endpoint;
    config.connect_timeout = std::chrono::milliseconds(1000);
    config.attempt_timeout = std::chrono::milliseconds(5000);
    config.call_timeout = std::chrono::milliseconds(15000);
    config.credentials = std::make_shared<FixedCredentials>();
    return config;
}

std::unique_ptr<Client> make_client(const ClientConfig& config) {
    auto client = Client::create(config);
    if (!client) throw std::runtime_error(client.error().message);
    return std::move(client.value());
}

std::string unique_table_name(const std::string& purpose) {
    static std::atomic<int> counter{0};
    return "switchyard-" + purpose + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(++counter);
}

}  // namespace switchyard::dynamo::test
