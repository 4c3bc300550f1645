// Message framing through the proxy (RFC 9112 6): bodies that must not be there, chunked
// request bodies, and 100-continue. A framing mistake shows as a hung or poisoned keep-alive
// connection, so each test sends a second request on the same connection.
#include "body_digest.hpp"
#include "proxy_fixture.hpp"

namespace switchyard::test {
namespace {

using MessageFraming = ProxyTest;

HeaderList tenant() { return {{"X-Tenant-Id", "globex"}}; }

TEST_F(MessageFraming, HeadResponseHasLengthButNoBody) {
    ASSERT_NO_FATAL_FAILURE(launch());
    HttpClient client(port());
    const auto head = client.request(ClientRequest::make("HEAD", "/page", tenant()));
    ASSERT_EQ(head.status, 200) << head.describe();
    EXPECT_EQ(head.headers.value_or_empty("Content-Length"), "6");  // "legacy"
    EXPECT_EQ(head.body_bytes, 0u);
    EXPECT_EQ(legacy_.last_request().method, "HEAD");

    const auto next = client.get("/page", tenant());
    EXPECT_EQ(next.body, "legacy") << next.describe();
}

TEST_F(MessageFraming, NoContentResponseHasNoBody) {
    ASSERT_NO_FATAL_FAILURE(launch());
    legacy_.set_reply(OriginReply::with_status(204));
    HttpClient client(port());
    const auto response = client.request(ClientRequest::make("DELETE", "/items/3", tenant()));
    ASSERT_EQ(response.status, 204) << response.describe();
    EXPECT_EQ(response.body_bytes, 0u);
    EXPECT_FALSE(response.headers.has("Transfer-Encoding"));
    EXPECT_EQ(legacy_.last_request().method, "DELETE");

    legacy_.set_reply(OriginReply::with_status(200, "after"));
    EXPECT_EQ(client.get("/", tenant()).body, "after");
}

TEST_F(MessageFraming, NotModifiedResponseHasNoBody) {
    ASSERT_NO_FATAL_FAILURE(launch());
    OriginReply not_modified = OriginReply::with_status(304);
    not_modified.headers.add("ETag", "\"v1\"");
    legacy_.set_reply(not_modified);
    HttpClient client(port());
    const auto response =
        client.get("/logo.png", {{"X-Tenant-Id", "globex"}, {"If-None-Match", "\"v1\""}});
    ASSERT_EQ(response.status, 304) << response.describe();
    EXPECT_EQ(response.body_bytes, 0u);
    EXPECT_EQ(response.headers.value_or_empty("ETag"), "\"v1\"");
    EXPECT_EQ(legacy_.last_request().headers.value_or_empty("If-None-Match"), "\"v1\"");

    legacy_.set_reply(OriginReply::with_status(200, "after"));
    EXPECT_EQ(client.get("/", tenant()).body, "after");
}

TEST_F(MessageFraming, ChunkedRequestBodyArrivesIntactWithOneFraming) {
    ASSERT_NO_FATAL_FAILURE(launch());
    ClientRequest upload = ClientRequest::make("POST", "/import", tenant());
    upload.generated_body_bytes = 300'000;
    upload.chunked = true;
    HttpClient client(port());
    const auto response = client.request(upload);
    ASSERT_EQ(response.status, 200) << response.describe();

    const auto received = legacy_.last_request();
    EXPECT_EQ(received.body_bytes, 300'000u);
    EXPECT_EQ(received.body_digest, pattern_digest(300'000));
    // RFC 9112 6.1: never both; chunked or a length, whichever the proxy chose.
    const bool chunked = received.headers.value_or_empty("Transfer-Encoding") == "chunked";
    const bool sized = received.headers.value_or_empty("Content-Length") == "300000";
    EXPECT_TRUE(chunked != sized) << received.headers.describe();
    EXPECT_EQ(client.get("/", tenant()).body, "legacy");
}

TEST_F(MessageFraming, ChunkedResponseBodyArrivesIntact) {
    ASSERT_NO_FATAL_FAILURE(launch());
    legacy_.set_reply(OriginReply::streamed(1'000'003, true));
    HttpClient client(port());
    const auto response = client.get("/export", tenant());
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.body_bytes, 1'000'003u);
    EXPECT_EQ(response.body_digest, pattern_digest(1'000'003));
    legacy_.set_reply(OriginReply::with_status(200, "after"));
    EXPECT_EQ(client.get("/", tenant()).body, "after");
}

TEST_F(MessageFraming, ExpectContinueGetsContinueThenTheAnswer) {
    ASSERT_NO_FATAL_FAILURE(launch());
    ClientRequest upload = ClientRequest::make("PUT", "/doc", tenant(), "the document");
    upload.expect_continue = true;
    HttpClient client(port());
    const auto response = client.request(upload);
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.interim_statuses, std::vector<int>{100});
    EXPECT_EQ(response.body, "legacy");
    EXPECT_EQ(legacy_.last_request().body, "the document");
    EXPECT_EQ(client.get("/", tenant()).body, "legacy");
}

}  // namespace
}  // namespace switchyard::test
