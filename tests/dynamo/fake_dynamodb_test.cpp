// The client against a scripted loopback server (TestOrigin): what goes on the wire, how each
// answer is read, and which are retried. Here the server's answers are AWS's documented shapes,
// so the tests cover what dynalite cannot produce (throttling, 5xx, cancelled transactions).
#include <gtest/gtest.h>

#include <atomic>

#include "test_client.hpp"
#include "test_origin.hpp"

namespace switchyard::dynamo::test {
namespace {

using namespace std::chrono_literals;
using switchyard::test::OriginReply;
using switchyard::test::RecordedRequest;
using switchyard::test::TestOrigin;

OriginReply dynamodb_reply(int status, const std::string& body) {
    OriginReply reply = OriginReply::with_status(status, body);
    reply.headers.add("Content-Type", "application/x-amz-json-1.0");
    return reply;
}

OriginReply aws_error(const std::string& type, const std::string& extra = "") {
    return dynamodb_reply(400, R"({"__type":"com.amazonaws.dynamodb.v20120810#)" + type +
                                   R"(","message":"m")" + extra + "}");
}

class FakeDynamoTest : public ::testing::Test {
  protected:
    std::unique_ptr<Client> client(int max_attempts = 10) {
        auto config = test_config(origin_.url());
        config.retry.max_attempts = max_attempts;
        config.retry.base_delay = 5ms;
        config.retry.throttling_base_delay = 5ms;
        return make_client(config);
    }

    TestOrigin origin_{"fake-dynamodb"};
};

TEST_F(FakeDynamoTest, RequestsSpeakTheJson10ProtocolSigned) {
    origin_.set_reply(dynamodb_reply(200, R"({"Item":{"pk":{"S":"a"}}})"));
    const auto found =
        client()->get_item(GetItemRequest{.table = "flags", .key = {{"pk", av::s("a")}}});
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_TRUE(found.value());

    const RecordedRequest request = origin_.last_request();
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.target, "/");
    EXPECT_EQ(request.headers.value_or_empty("Content-Type"), "application/x-amz-json-1.0");
    EXPECT_EQ(request.headers.value_or_empty("X-Amz-Target"), "DynamoDB_20120810.GetItem");
    EXPECT_EQ(request.headers.value_or_empty("Host"),
              "127.0.0.1:" + std::to_string(origin_.port()));
    const std::string authorization = request.headers.value_or_empty("Authorization");
    EXPECT_EQ(authorization.rfind("AWS4-HMAC-SHA256 Credential=AKIDTEST/", 0), 0u) << authorization;
    EXPECT_NE(authorization.find("/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;"
                                 "host;x-amz-date;x-amz-target, Signature="),
              std::string::npos)
        << authorization;
    EXPECT_FALSE(request.headers.has("X-Amz-Security-Token"));
    const auto body = nlohmann::json::parse(request.body);
    EXPECT_EQ(body["TableName"], "flags");
    EXPECT_EQ(body["ConsistentRead"], true);
    EXPECT_EQ(body["Key"]["pk"]["S"], "a");
}

TEST_F(FakeDynamoTest, ConnectionIsKeptAliveAcrossCalls) {
    origin_.set_reply(dynamodb_reply(200, "{}"));
    auto dynamo = client();
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(dynamo->put_item(PutItemRequest{.table = "t", .item = {{"pk", av::s("a")}}}));
    EXPECT_EQ(origin_.request_count(), 3u);
    EXPECT_EQ(origin_.connections_accepted(), 1u);
}

TEST_F(FakeDynamoTest, ThrottlingIsRetriedUntilItPasses) {
    std::atomic<int> calls{0};
    origin_.set_responder([&](const RecordedRequest&) {
        const int call = ++calls;
        if (call == 1) return aws_error("ProvisionedThroughputExceededException");
        if (call == 2) return aws_error("ThrottlingException");
        return dynamodb_reply(200, "{}");
    });
    const auto put = client()->put_item(PutItemRequest{.table = "t", .item = {{"pk", av::s("a")}}});
    ASSERT_TRUE(put) << put.error().message;
    EXPECT_EQ(origin_.request_count(), 3u);
}

TEST_F(FakeDynamoTest, ServerErrorsAreRetriedAndBounded) {
    for (const int attempts : {3, 1}) {
        origin_.set_reply(
            dynamodb_reply(500, R"({"__type":"com.amazonaws.dynamodb#InternalServerError"})"));
        const auto before = origin_.request_count();
        const auto put =
            client(attempts)->put_item(PutItemRequest{.table = "t", .item = {{"pk", av::s("a")}}});
        ASSERT_FALSE(put);
        EXPECT_EQ(put.error().kind, ErrorKind::server_error);
        EXPECT_EQ(put.error().attempts, attempts);
        // A 500 says nothing of whether it was written, the last attempt's (or only one's) too.
        EXPECT_TRUE(put.error().maybe_applied) << attempts << " attempts";
        EXPECT_EQ(origin_.request_count() - before, static_cast<std::size_t>(attempts));
    }
}

TEST_F(FakeDynamoTest, ConditionFailedAndValidationAreNeverRetried) {
    origin_.set_reply(aws_error("ConditionalCheckFailedException", R"(,"Item":{"pk":{"S":"a"}})"));
    auto dynamo = client();
    PutItemRequest put{.table = "t", .item = {{"pk", av::s("a")}}};
    put.condition = "attribute_not_exists(pk)";
    put.return_item_on_condition_failure = true;
    const auto first = dynamo->put_item(put);
    ASSERT_FALSE(first);
    EXPECT_EQ(first.error().kind, ErrorKind::condition_failed);
    ASSERT_TRUE(first.error().item);
    EXPECT_EQ(
        nlohmann::json::parse(origin_.last_request().body)["ReturnValuesOnConditionCheckFailure"],
        "ALL_OLD");

    origin_.set_reply(aws_error("ValidationException"));
    const auto second = dynamo->put_item(put);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().kind, ErrorKind::validation);
    EXPECT_EQ(origin_.request_count(), 2u);
}

TEST_F(FakeDynamoTest, TransactWriteItemsWireFormatAndCancellationReasons) {
    origin_.set_reply(dynamodb_reply(
        400, R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",)"
             R"("Message":"Transaction cancelled, please refer cancellation reasons for specific )"
             R"(reasons [None, ConditionalCheckFailed, None]",)"
             R"("CancellationReasons":[{"Code":"None"},)"
             R"({"Code":"ConditionalCheckFailed","Message":"The conditional request failed"},)"
             R"({"Code":"None"}]})"));
    PutItemRequest pin{.table = "flags",
                       .item = {{"pk", av::s("tenant#acme")}, {"stage", av::s("new")}}};
    UpdateItemRequest marker{.table = "flags", .key = {{"pk", av::s("marker")}}};
    marker.update = "SET version = :next";
    marker.condition = "version = :seen";
    marker.attributes.values = {{":next", av::n(8)}, {":seen", av::n(7)}};
    ConditionCheck door{.table = "flags",
                        .key = {{"pk", av::s("door#acme")}},
                        .condition = "attribute_not_exists(pk)"};
    const auto result = client()->transact_write(
        TransactWriteRequest{.items = {pin, marker, door}, .client_request_token = ""});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, ErrorKind::transaction_cancelled);
    EXPECT_EQ(result.error().attempts, 1);
    ASSERT_EQ(result.error().cancellation_reasons.size(), 3u);
    EXPECT_EQ(result.error().cancellation_reasons[1].code, "ConditionalCheckFailed");

    const auto request = origin_.last_request();
    EXPECT_EQ(request.headers.value_or_empty("X-Amz-Target"),
              "DynamoDB_20120810.TransactWriteItems");
    const auto body = nlohmann::json::parse(request.body);
    ASSERT_EQ(body["TransactItems"].size(), 3u);
    EXPECT_EQ(body["TransactItems"][0]["Put"]["Item"]["stage"]["S"], "new");
    EXPECT_EQ(body["TransactItems"][1]["Update"]["ConditionExpression"], "version = :seen");
    EXPECT_EQ(body["TransactItems"][2]["ConditionCheck"]["Key"]["pk"]["S"], "door#acme");
    EXPECT_EQ(body["ClientRequestToken"].get<std::string>().size(), 32u);
}

TEST_F(FakeDynamoTest, SessionTokenIsSentAndSigned) {
    class TokenCredentials : public CredentialsProvider {
      public:
        std::string name() const override { return "token"; }
        CredentialsLookup load() override {
            Credentials credentials;
            credentials.access_key_id = "ASIATEST";
            credentials.secret_access_key = Secret("s");
            credentials.session_token = Secret("the-session-token");
            return CredentialsLookup(std::move(credentials));
        }
    };
    origin_.set_reply(dynamodb_reply(200, "{}"));
    auto config = test_config(origin_.url());
    config.credentials = std::make_shared<TokenCredentials>();
    ASSERT_TRUE(
        make_client(config)->put_item(PutItemRequest{.table = "t", .item = {{"pk", av::s("a")}}}));
    const auto request = origin_.last_request();
    EXPECT_EQ(request.headers.value_or_empty("X-Amz-Security-Token"), "the-session-token");
    EXPECT_NE(
        request.headers.value_or_empty("Authorization").find("x-amz-security-token;x-amz-target"),
        std::string::npos);
}

TEST_F(FakeDynamoTest, ExpiredTokenReloadsCredentialsOnce) {
    class CountingCredentials : public CredentialsProvider {
      public:
        std::string name() const override { return "counting"; }
        CredentialsLookup load() override {
            Credentials credentials;
            credentials.access_key_id = "AKID" + std::to_string(++loads);
            credentials.secret_access_key = Secret("s");
            return CredentialsLookup(std::move(credentials));
        }
        std::atomic<int> loads{0};
    };
    std::atomic<int> calls{0};
    origin_.set_responder([&](const RecordedRequest&) {
        return ++calls == 1 ? aws_error("ExpiredTokenException") : dynamodb_reply(200, "{}");
    });
    auto provider = std::make_shared<CountingCredentials>();
    auto config = test_config(origin_.url());
    config.credentials = provider;
    ASSERT_TRUE(
        make_client(config)->put_item(PutItemRequest{.table = "t", .item = {{"pk", av::s("a")}}}));
    EXPECT_EQ(provider->loads, 2);
    EXPECT_NE(origin_.last_request().headers.value_or_empty("Authorization").find("AKID2/"),
              std::string::npos);
}

TEST_F(FakeDynamoTest, HttpsToAPlainServerFailsTheHandshake) {
    auto config = test_config("https://127.0.0.1:" + std::to_string(origin_.port()));
    config.retry.max_attempts = 1;
    const auto put =
        make_client(config)->put_item(PutItemRequest{.table = "t", .item = {{"pk", av::s("a")}}});
    ASSERT_FALSE(put);
    EXPECT_EQ(put.error().kind, ErrorKind::connection);
    EXPECT_NE(put.error().message.find("TLS handshake"), std::string::npos) << put.error().message;
}

TEST(ClientConfig, DefaultEndpointIsRegionalHttps) {
    ClientConfig config;
    config.region = "eu-west-1";
    config.credentials = std::make_shared<FixedCredentials>();
    const auto client = Client::create(config);
    ASSERT_TRUE(client);
    EXPECT_EQ(client.value()->endpoint(), "https://dynamodb.eu-west-1.amazonaws.com");
    config.endpoint = "ftp://x";
    EXPECT_FALSE(Client::create(config));
}

}  // namespace
}  // namespace switchyard::dynamo::test
