// When the upstream fails, the client gets a 502 or 504 with a small JSON body naming the
// request id; and in the good case, upstream connections are reused.
#include "proxy_fixture.hpp"

namespace switchyard::test {
namespace {

class UpstreamErrors : public ProxyTest {
  protected:
    // Checks the error body's shape and that its request id is the one in the header.
    static void expect_error_body(const ClientResponse& response, const std::string& request_id) {
        EXPECT_NE(response.headers.value_or_empty("Content-Type").find("application/json"),
                  std::string::npos)
            << response.describe();
        const auto body = nlohmann::json::parse(response.body, nullptr, false);
        ASSERT_TRUE(body.is_object()) << response.describe();
        EXPECT_TRUE(body.contains("error") && body["error"].is_string()) << response.body;
        EXPECT_TRUE(body.contains("message") && body["message"].is_string()) << response.body;
        ASSERT_TRUE(body.contains("request_id") && body["request_id"].is_string()) << response.body;
        EXPECT_EQ(body["request_id"].get<std::string>(), request_id);
        EXPECT_EQ(response.headers.value_or_empty("X-Request-Id"), request_id);
    }
};

TEST_F(UpstreamErrors, RefusedUpstreamGives502EchoingTheClientsRequestId) {
    auto config = base_config();
    config["backends"]["legacy"]["urls"] = {"http://127.0.0.1:" + std::to_string(unused_port())};
    ASSERT_NO_FATAL_FAILURE(launch(config));
    const auto response =
        get("/orders", {{"X-Tenant-Id", "globex"}, {"X-Request-Id", "client-req-42"}});
    ASSERT_EQ(response.status, 502) << response.describe();
    expect_error_body(response, "client-req-42");
    EXPECT_EQ(new_.request_count(), 0u);
}

TEST_F(UpstreamErrors, UpstreamClosingWithoutAnswerGives502WithGeneratedRequestId) {
    ASSERT_NO_FATAL_FAILURE(launch());
    legacy_.set_reply(OriginReply::closing_silently());
    const auto response = get_as("globex", "/orders");
    ASSERT_EQ(response.status, 502) << response.describe();
    const std::string request_id = response.headers.value_or_empty("X-Request-Id");
    EXPECT_FALSE(request_id.empty());
    expect_error_body(response, request_id);
    ASSERT_GE(legacy_.request_count(), 1u);
    EXPECT_EQ(legacy_.last_request().headers.value_or_empty("X-Request-Id"), request_id);
}

TEST_F(UpstreamErrors, UpstreamAnsweringGarbageGives502) {
    ASSERT_NO_FATAL_FAILURE(launch());
    legacy_.set_reply(OriginReply::answering_garbage());
    const auto response =
        get("/orders", {{"X-Tenant-Id", "globex"}, {"X-Request-Id", "client-req-43"}});
    ASSERT_EQ(response.status, 502) << response.describe();
    expect_error_body(response, "client-req-43");
    EXPECT_GE(legacy_.request_count(), 1u);
}

TEST_F(UpstreamErrors, SlowUpstreamGives504AfterTheResponseTimeout) {
    auto config = base_config();
    config["timeouts"]["upstream_response_ms"] = 300;
    ASSERT_NO_FATAL_FAILURE(launch(config));
    legacy_.set_reply(OriginReply::delayed(std::chrono::seconds(5)));
    const auto start = std::chrono::steady_clock::now();
    const auto response =
        get("/report", {{"X-Tenant-Id", "globex"}, {"X-Request-Id", "client-req-44"}});
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_EQ(response.status, 504) << response.describe();
    expect_error_body(response, "client-req-44");
    EXPECT_GE(took, std::chrono::milliseconds(300));
    EXPECT_LT(took, std::chrono::milliseconds(3000));
    EXPECT_EQ(legacy_.request_count(), 1u);
}

TEST_F(UpstreamErrors, ProxyKeepsServingAfterAnUpstreamFailure) {
    ASSERT_NO_FATAL_FAILURE(launch());
    legacy_.set_reply(OriginReply::answering_garbage());
    HttpClient client(port());
    EXPECT_EQ(client.get("/", {{"X-Tenant-Id", "globex"}}).status, 502);
    legacy_.set_reply(OriginReply::with_status(200, "recovered"));
    const auto response = client.get("/", {{"X-Tenant-Id", "globex"}});
    EXPECT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.body, "recovered");
}

using UpstreamReuse = ProxyTest;

TEST_F(UpstreamReuse, SequentialKeepAliveRequestsShareAFewUpstreamConnections) {
    ASSERT_NO_FATAL_FAILURE(launch());
    HttpClient client(port());
    for (int i = 0; i < 100; ++i) {
        const auto response = client.get("/item/" + std::to_string(i), {{"X-Tenant-Id", "globex"}});
        ASSERT_EQ(response.status, 200) << "request " << i << ": " << response.describe();
    }
    EXPECT_EQ(legacy_.request_count(), 100u);
    EXPECT_LE(legacy_.connections_accepted(), 3u);
}

TEST_F(UpstreamReuse, SequentialClientConnectionsShareUpstreamConnections) {
    ASSERT_NO_FATAL_FAILURE(launch());
    for (int i = 0; i < 50; ++i) {
        const auto response = get_as("globex", "/item/" + std::to_string(i));
        ASSERT_EQ(response.status, 200) << "request " << i << ": " << response.describe();
    }
    EXPECT_EQ(legacy_.request_count(), 50u);
    EXPECT_LE(legacy_.connections_accepted(), 3u);
}

}  // namespace
}  // namespace switchyard::test
