// TestOrigin through the harness's own client: what it records and each scripted reply.
#include "test_origin.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "body_digest.hpp"
#include "http_client.hpp"
#include "raw_connection.hpp"
#include "wait.hpp"

namespace switchyard::test {
namespace {

TEST(TestOrigin, AnswersWithItsNameByDefault) {
    TestOrigin origin("legacy");
    const auto response = http_request(origin.port(), "GET", "/a?b=1", {{"X-Tenant-Id", "acme"}});
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.body, "legacy");
    EXPECT_EQ(response.headers.value_or_empty("x-origin"), "legacy");

    ASSERT_EQ(origin.request_count(), 1u);
    const auto request = origin.last_request();
    EXPECT_EQ(request.method, "GET");
    EXPECT_EQ(request.target, "/a?b=1");
    EXPECT_EQ(request.headers.value_or_empty("x-tenant-id"), "acme");
    EXPECT_EQ(request.body_bytes, 0u);
}

TEST(TestOrigin, KeepAliveRequestsShareOneConnection) {
    TestOrigin origin;
    HttpClient client(origin.port());
    for (int i = 0; i < 5; ++i) ASSERT_EQ(client.get("/").status, 200);
    EXPECT_EQ(origin.connections_accepted(), 1u);
    for (const auto& request : origin.requests()) EXPECT_EQ(request.connection_index, 1u);
}

TEST(TestOrigin, CountsALargeBodyButKeepsOnlyItsStart) {
    TestOrigin origin;
    HttpClient client(origin.port());
    ClientRequest request;
    request.method = "PUT";
    request.generated_body_bytes = 3 * 1024 * 1024 + 7;
    ASSERT_EQ(client.request(request).status, 200);
    const auto recorded = origin.last_request();
    EXPECT_EQ(recorded.body_bytes, request.generated_body_bytes);
    EXPECT_EQ(recorded.body_digest, pattern_digest(request.generated_body_bytes));
    EXPECT_EQ(recorded.body.size(), RecordedRequest::kKeptBodyBytes);
    EXPECT_TRUE(recorded.body_truncated);
}

TEST(TestOrigin, DecodesAChunkedRequestBody) {
    TestOrigin origin;
    HttpClient client(origin.port());
    auto request = ClientRequest::make("POST", "/", {}, "hello, chunked world");
    request.chunked = true;
    ASSERT_EQ(client.request(request).status, 200);
    const auto recorded = origin.last_request();
    EXPECT_EQ(recorded.body, "hello, chunked world");
    EXPECT_EQ(recorded.headers.value_or_empty("Transfer-Encoding"), "chunked");
}

TEST(TestOrigin, FixedReplyCarriesStatusHeadersAndBody) {
    TestOrigin origin;
    OriginReply reply = OriginReply::with_status(418, "short and stout");
    reply.headers.add("X-Teapot", "yes");
    origin.set_reply(reply);
    const auto response = http_request(origin.port(), "GET", "/");
    EXPECT_EQ(response.status, 418);
    EXPECT_EQ(response.body, "short and stout");
    EXPECT_EQ(response.headers.value_or_empty("X-Teapot"), "yes");
}

TEST(TestOrigin, StreamsAGeneratedBodyWithContentLength) {
    TestOrigin origin;
    origin.set_reply(OriginReply::streamed(5 * 1024 * 1024 + 3));
    HttpClient client(origin.port());
    ClientRequest request;
    request.keep_body = false;
    const auto response = client.request(request);
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.headers.value_or_empty("Content-Length"),
              std::to_string(5 * 1024 * 1024 + 3));
    EXPECT_EQ(response.body_bytes, 5u * 1024 * 1024 + 3);
    EXPECT_EQ(response.body_digest, pattern_digest(5 * 1024 * 1024 + 3));
    EXPECT_TRUE(response.body.empty());
}

TEST(TestOrigin, StreamsAGeneratedBodyChunked) {
    TestOrigin origin;
    origin.set_reply(OriginReply::streamed(1000 * 1000, true));
    HttpClient client(origin.port());
    const auto response = client.get("/");
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.headers.value_or_empty("Transfer-Encoding"), "chunked");
    EXPECT_EQ(response.body_bytes, 1000u * 1000);
    EXPECT_EQ(response.body_digest, pattern_digest(1000 * 1000));
    EXPECT_EQ(client.get("/").status, 200);  // the connection survived the last chunk
}

TEST(TestOrigin, AnswersHeadWithLengthButNoBody) {
    TestOrigin origin("abcdef");
    HttpClient client(origin.port());
    ClientRequest request;
    request.method = "HEAD";
    const auto response = client.request(request);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.headers.value_or_empty("Content-Length"), "6");
    EXPECT_EQ(response.body_bytes, 0u);
    EXPECT_EQ(client.get("/").body, "abcdef");
}

TEST(TestOrigin, DelayHoldsTheAnswer) {
    TestOrigin origin;
    origin.set_reply(OriginReply::delayed(300ms));
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(http_request(origin.port(), "GET", "/").status, 200);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
}

TEST(TestOrigin, ClosingSilentlySendsNoByte) {
    TestOrigin origin;
    origin.set_reply(OriginReply::closing_silently());
    const std::string answer = raw_exchange(origin.port(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 5s);
    EXPECT_EQ(answer, "");
    EXPECT_EQ(origin.request_count(), 1u);
}

TEST(TestOrigin, GarbageReplyIsNotHttp) {
    TestOrigin origin;
    origin.set_reply(OriginReply::answering_garbage());
    const std::string answer = raw_exchange(origin.port(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 5s);
    EXPECT_EQ(answer, OriginReply{}.garbage_bytes);
    EXPECT_EQ(status_of(answer), 0);
}

TEST(TestOrigin, ArrivalHookRunsBeforeTheBodyIsRead) {
    TestOrigin origin;
    std::atomic<int> hook_calls{0};
    std::atomic<std::uint64_t> body_bytes_at_arrival{99};
    origin.set_arrival_hook([&](const RecordedRequest& request) {
        body_bytes_at_arrival = request.body_bytes;
        ++hook_calls;
    });
    EXPECT_EQ(http_request(origin.port(), "POST", "/", {}, "payload").status, 200);
    EXPECT_EQ(hook_calls.load(), 1);
    EXPECT_EQ(body_bytes_at_arrival.load(), 0u);
    EXPECT_EQ(origin.last_request().body, "payload");
}

TEST(TestOrigin, SendsContinueWhenTheClientExpectsIt) {
    TestOrigin origin;
    HttpClient client(origin.port());
    auto request = ClientRequest::make("POST", "/", {}, "after the hundred");
    request.expect_continue = true;
    const auto response = client.request(request);
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.interim_statuses, std::vector<int>{100});
    EXPECT_EQ(origin.last_request().body, "after the hundred");
}

TEST(TestOrigin, StopClosesOpenConnections) {
    TestOrigin origin;
    RawConnection connection(origin.port());
    ASSERT_TRUE(connection.connected());
    ASSERT_TRUE(wait_until([&] { return origin.connections_accepted() == 1; }, 5s));
    origin.stop();
    EXPECT_TRUE(connection.read_until_close(5s));
    EXPECT_FALSE(RawConnection(origin.port()).connected());
}

TEST(WaitUntil, ReturnsFalseWhenTheConditionNeverHolds) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(wait_until([] { return false; }, 50ms));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
    EXPECT_TRUE(wait_until([] { return true; }, 0ms));
}

}  // namespace
}  // namespace switchyard::test
