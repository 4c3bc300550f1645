// The ECS container endpoint and EC2 IMDSv2 providers against loopback fakes of those
// endpoints: nothing here sends a packet to 169.254.x.x.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "dynamo/container_provider.hpp"
#include "dynamo/default_chain.hpp"
#include "dynamo/instance_metadata_provider.hpp"
#include "test_origin.hpp"
#include "unit/dynamo/fake_environment.hpp"

namespace switchyard::dynamo {
namespace {

using namespace std::chrono_literals;
using switchyard::test::OriginReply;
using switchyard::test::RecordedRequest;
using switchyard::test::TestOrigin;
using test::fake_environment;

constexpr const char* kDocument = R"({
  "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "ASIAROLE",
  "SecretAccessKey": "role-secret", "Token": "role-token", "Expiration": "2030-01-01T00:00:00Z"})";

OriginReply json_reply(int status, std::string body) {
    OriginReply reply = OriginReply::with_status(status, std::move(body));
    reply.headers.add("Content-Type", "application/json");
    return reply;
}

// IMDSv2 as EC2 serves it: a token from PUT, then the role list and the role's credentials
// only for a request that carries that token.
OriginReply imds(const RecordedRequest& request) {
    if (request.method == "PUT" && request.target == "/latest/api/token") {
        if (request.headers.value_or_empty("X-aws-ec2-metadata-token-ttl-seconds").empty()) {
            return OriginReply::with_status(400);
        }
        return OriginReply::with_status(200, "imds-session-token");
    }
    if (request.headers.value_or_empty("X-aws-ec2-metadata-token") != "imds-session-token") {
        return OriginReply::with_status(401);
    }
    if (request.target == "/latest/meta-data/iam/security-credentials/") {
        return OriginReply::with_status(200, "switchyard-role\n");
    }
    if (request.target == "/latest/meta-data/iam/security-credentials/switchyard-role") {
        return json_reply(200, kDocument);
    }
    return OriginReply::with_status(404);
}

TEST(ContainerProvider, RelativeUriWithAuthorizationToken) {
    TestOrigin endpoint("ecs");
    endpoint.set_reply(json_reply(200, kDocument));
    ContainerProvider provider(
        fake_environment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/task-1"},
                          {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "task-auth"}}),
        ContainerProvider::Options{.relative_uri_base = endpoint.url(), .timeout = 2000ms});
    const auto found = provider.load();
    ASSERT_TRUE(found && found.value()) << (found ? "none" : found.error().message);
    EXPECT_EQ(found.value()->access_key_id, "ASIAROLE");
    EXPECT_EQ(found.value()->session_token.reveal(), "role-token");
    EXPECT_TRUE(found.value()->expiration);
    const auto request = endpoint.last_request();
    EXPECT_EQ(request.target, "/v2/credentials/task-1");
    EXPECT_EQ(request.headers.value_or_empty("Authorization"), "task-auth");
}

TEST(ContainerProvider, FullUriWithTokenFile) {
    TestOrigin endpoint("ecs");
    endpoint.set_reply(json_reply(200, kDocument));
    const auto token_file = std::filesystem::temp_directory_path() /
                            ("switchyard-ecs-token-" + std::to_string(::getpid()));
    std::ofstream(token_file) << "token-from-file\n";
    ContainerProvider provider(
        fake_environment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.url() + "/creds"},
                          {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file.string()}}));
    const auto found = provider.load();
    std::filesystem::remove(token_file);
    ASSERT_TRUE(found && found.value()) << (found ? "none" : found.error().message);
    EXPECT_EQ(endpoint.last_request().target, "/creds");
    EXPECT_EQ(endpoint.last_request().headers.value_or_empty("Authorization"), "token-from-file");
}

TEST(ContainerProvider, NotConfiguredSendsNothing) {
    ContainerProvider provider(fake_environment({}));
    const auto found = provider.load();
    ASSERT_TRUE(found);
    EXPECT_FALSE(found.value());
}

TEST(ContainerProvider, PlainHttpFullUriToARemoteHostIsRefused) {
    ContainerProvider provider(
        fake_environment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://remote.invalid/creds"}}));
    const auto found = provider.load();  // refused before any connection is attempted
    ASSERT_FALSE(found);
    EXPECT_NE(found.error().message.find("plain http to a remote host"), std::string::npos);
}

TEST(ContainerProvider, ErrorStatusIsReported) {
    TestOrigin endpoint("ecs");
    endpoint.set_reply(OriginReply::with_status(500));
    ContainerProvider provider(
        fake_environment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds"}}),
        ContainerProvider::Options{.relative_uri_base = endpoint.url(), .timeout = 2000ms});
    const auto found = provider.load();
    ASSERT_FALSE(found);
    EXPECT_NE(found.error().message.find("HTTP 500"), std::string::npos);
}

InstanceMetadataProvider::Options imds_options(const std::string& url) {
    InstanceMetadataProvider::Options options;
    options.endpoint = url;
    options.connect_timeout = 500ms;
    options.timeout = 2000ms;
    return options;
}

TEST(InstanceMetadataProvider, TokenThenRoleThenCredentials) {
    TestOrigin endpoint("imds");
    endpoint.set_responder(imds);
    InstanceMetadataProvider provider(fake_environment({}), imds_options(endpoint.url()));
    const auto found = provider.load();
    ASSERT_TRUE(found && found.value()) << (found ? "none" : found.error().message);
    EXPECT_EQ(found.value()->access_key_id, "ASIAROLE");
    EXPECT_EQ(found.value()->source, "instance metadata, role switchyard-role");
    const auto requests = endpoint.requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[0].method, "PUT");
    EXPECT_EQ(requests[0].headers.value_or_empty("X-aws-ec2-metadata-token-ttl-seconds"), "21600");
    EXPECT_EQ(requests[2].headers.value_or_empty("X-aws-ec2-metadata-token"), "imds-session-token");
}

TEST(InstanceMetadataProvider, NoRoleIsAClearError) {
    TestOrigin endpoint("imds");
    endpoint.set_responder([](const RecordedRequest& request) {
        if (request.method == "PUT") return OriginReply::with_status(200, "t");
        return OriginReply::with_status(404);
    });
    InstanceMetadataProvider provider(fake_environment({}), imds_options(endpoint.url()));
    const auto found = provider.load();
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().message, "this instance has no IAM role (instance profile)");
}

TEST(InstanceMetadataProvider, DisabledSendsNothing) {
    TestOrigin endpoint("imds");
    endpoint.set_responder(imds);
    InstanceMetadataProvider provider(fake_environment({{"AWS_EC2_METADATA_DISABLED", "true"}}),
                                      imds_options(endpoint.url()));
    const auto found = provider.load();
    ASSERT_TRUE(found);
    EXPECT_FALSE(found.value());
    EXPECT_EQ(endpoint.request_count(), 0u);
}

TEST(InstanceMetadataProvider, UnreachableEndpointFailsFastAndIsNotAskedAgainAtOnce) {
    TestOrigin endpoint("imds");
    const std::string url = endpoint.url();
    endpoint.stop();  // a loopback port nobody listens on: refused at once
    InstanceMetadataProvider provider(fake_environment({}), imds_options(url));
    const auto started = std::chrono::steady_clock::now();
    const auto first = provider.load();
    ASSERT_FALSE(first);
    const auto second = provider.load();
    ASSERT_FALSE(second);
    EXPECT_NE(second.error().message.find("unreachable a moment ago"), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST(DefaultChain, FallsThroughToInstanceMetadataAtItsOverriddenAddress) {
    TestOrigin endpoint("imds");
    endpoint.set_responder(imds);
    auto chain = make_default_chain(
        fake_environment({{"HOME", "/nonexistent-switchyard-home"},
                          {"AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url()}}));
    const auto found = chain->load();
    ASSERT_TRUE(found && found.value()) << (found ? "none" : found.error().message);
    EXPECT_EQ(found.value()->access_key_id, "ASIAROLE");
}

TEST(DefaultChain, EnvironmentComesFirst) {
    TestOrigin endpoint("imds");
    endpoint.set_responder(imds);
    auto chain = make_default_chain(
        fake_environment({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                          {"AWS_SECRET_ACCESS_KEY", "s"},
                          {"AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.url()}}));
    const auto found = chain->load();
    ASSERT_TRUE(found && found.value());
    EXPECT_EQ(found.value()->access_key_id, "AKIDENV");
    EXPECT_EQ(endpoint.request_count(), 0u);
}

}  // namespace
}  // namespace switchyard::dynamo
