#include "proxy/forwarding_headers.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/empty_body.hpp>
#include <string>
#include <vector>

#include "proxy/request_id.hpp"

namespace switchyard::proxy {
namespace {
namespace http = boost::beast::http;

// The fields of a written head, one "Name: value" a line, without the start line.
std::vector<std::string> fields_of(const std::string& head) {
    std::vector<std::string> lines;
    std::size_t at = head.find("\r\n") + 2;
    for (auto end = head.find("\r\n", at); end != std::string::npos && end > at;
         at = end + 2, end = head.find("\r\n", at)) {
        lines.push_back(head.substr(at, end - at));
    }
    return lines;
}

TEST(RequestHead, DropsFixedSetAndEveryFieldNamedInConnection) {
    http::request<http::empty_body> request{http::verb::get, "/", 11};
    request.insert(http::field::connection, "close, X-Secret");
    request.insert(http::field::connection, "x-other");
    request.insert("X-Secret", "s");
    request.insert("X-Other", "o");
    request.insert(http::field::keep_alive, "timeout=5");
    request.insert(http::field::proxy_connection, "keep-alive");
    request.insert(http::field::te, "trailers");
    request.insert(http::field::trailer, "X-Checksum");
    request.insert(http::field::upgrade, "websocket");
    request.insert(http::field::transfer_encoding, "chunked");
    request.insert("X-Kept", "k");
    std::string head;
    write_request_head(request, "/", {"127.0.0.1", "http", "rid"}, false, head);
    EXPECT_EQ(fields_of(head),
              (std::vector<std::string>{"X-Kept: k", "X-Forwarded-For: 127.0.0.1",
                                        "X-Forwarded-Proto: http", "Via: 1.1 switchyard",
                                        "X-Request-Id: rid"}))
        << head;
}

TEST(RequestHead, AppendsToExistingChainsAndSetsTheRest) {
    http::request<http::empty_body> request{http::verb::post, "/t/acme/orders?x=1", 10};
    request.insert(http::field::host, "acme.example.com:8443");
    request.insert("X-Forwarded-For", "203.0.113.7");
    request.insert("x-forwarded-for", "198.51.100.2");
    request.insert(http::field::via, "1.1 alb");
    request.insert("X-Forwarded-Proto", "spoofed");
    request.insert("X-Forwarded-Host", "spoofed");
    request.insert("X-Request-Id", "from-the-client");
    request.insert(http::field::content_length, "5");
    std::string head = "left over from the last request";
    write_request_head(request, "/orders?x=1", {"127.0.0.1", "http", "rid-1"}, false, head);
    EXPECT_EQ(head,
              "POST /orders?x=1 HTTP/1.1\r\n"
              "Host: acme.example.com:8443\r\n"
              "Content-Length: 5\r\n"
              "X-Forwarded-For: 203.0.113.7, 198.51.100.2, 127.0.0.1\r\n"
              "X-Forwarded-Proto: http\r\n"
              "X-Forwarded-Host: acme.example.com:8443\r\n"
              "Via: 1.1 alb, 1.1 switchyard\r\n"
              "X-Request-Id: rid-1\r\n"
              "\r\n");
}

TEST(RequestHead, StartsTheChainWhenAbsentAndSaysChunked) {
    http::request<http::empty_body> request{http::verb::put, "/x", 11};
    std::string head;
    write_request_head(request, "/x", {"::1", "http", "rid-2"}, true, head);
    EXPECT_EQ(head,
              "PUT /x HTTP/1.1\r\n"
              "X-Forwarded-For: ::1\r\n"
              "X-Forwarded-Proto: http\r\n"
              "Via: 1.1 switchyard\r\n"
              "X-Request-Id: rid-2\r\n"
              "Transfer-Encoding: chunked\r\n"
              "\r\n");
}

TEST(ResponseHead, KeepsTheBackendsReasonAndRequestIdAndAppendsVia) {
    http::response<http::empty_body> response{http::status::not_found, 11};
    response.reason("Nothing Here");
    response.insert(http::field::connection, "keep-alive");
    response.insert(http::field::via, "1.1 app");
    response.insert("X-Request-Id", "backend-id");
    response.insert(http::field::content_length, "0");
    std::string head;
    write_response_head(response, "ours", {11, true, false}, head);
    EXPECT_EQ(head,
              "HTTP/1.1 404 Nothing Here\r\n"
              "X-Request-Id: backend-id\r\n"
              "Content-Length: 0\r\n"
              "Via: 1.1 app, 1.1 switchyard\r\n"
              "\r\n");
}

TEST(ResponseHead, FramingFollowsTheClientsVersion) {
    http::response<http::empty_body> response{http::status::ok, 11};
    response.insert(http::field::transfer_encoding, "chunked");
    std::string head;
    write_response_head(response, "rid", {11, false, true}, head);
    EXPECT_EQ(head,
              "HTTP/1.1 200 OK\r\n"
              "Via: 1.1 switchyard\r\n"
              "X-Request-Id: rid\r\n"
              "Connection: close\r\n"
              "Transfer-Encoding: chunked\r\n"
              "\r\n");
    write_response_head(response, "rid", {10, true, false}, head);
    EXPECT_EQ(head,
              "HTTP/1.0 200 OK\r\n"
              "Via: 1.1 switchyard\r\n"
              "X-Request-Id: rid\r\n"
              "Connection: keep-alive\r\n"
              "\r\n");
}

TEST(FindHeader, IsCaseInsensitiveAndEmptyWhenMissing) {
    http::fields fields;
    fields.insert("X-Tenant-Id", "acme");
    EXPECT_EQ(find_header(&fields, "x-tenant-id"), "acme");
    EXPECT_EQ(find_header(&fields, "authorization"), "");
}

TEST(RequestIdGenerator, IdsAreUniqueHexOfFixedLength) {
    RequestIdGenerator ids(0xdeadbeef);
    const std::string first(ids.next());
    const std::string second(ids.next());
    EXPECT_EQ(first.size(), 32u);
    EXPECT_NE(first, second);
    EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_EQ(first.substr(0, 16), "00000000deadbeef");
}

}  // namespace
}  // namespace switchyard::proxy
