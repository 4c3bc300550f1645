#include "proxy/message_head.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/empty_body.hpp>

namespace switchyard::proxy {
namespace {
namespace http = boost::beast::http;

TEST(MessageHead, RequestLineThenFieldsInOrderThenBlankLine) {
    http::request<http::empty_body> request{http::verb::post, "/orders?x=1", 11};
    request.set(http::field::host, "acme.example.com");
    request.insert("X-Forwarded-For", "10.0.0.1");
    request.insert("x-custom", "kept as sent");
    std::string head = "left over from the last request";
    write_head(request, head);
    EXPECT_EQ(head,
              "POST /orders?x=1 HTTP/1.1\r\n"
              "Host: acme.example.com\r\n"
              "X-Forwarded-For: 10.0.0.1\r\n"
              "x-custom: kept as sent\r\n"
              "\r\n");
}

TEST(MessageHead, ResponseKeepsTheUpstreamsReasonAndVersion) {
    http::response<http::empty_body> response{http::status::not_found, 10};
    response.reason("Nothing Here");
    response.set(http::field::content_length, "0");
    std::string head;
    write_head(response, head);
    EXPECT_EQ(head, "HTTP/1.0 404 Nothing Here\r\nContent-Length: 0\r\n\r\n");
}

TEST(MessageHead, ResponseWithoutReasonGetsTheStandardOne) {
    http::response<http::empty_body> response{http::status::no_content, 11};
    std::string head;
    write_head(response, head);
    EXPECT_EQ(head, "HTTP/1.1 204 No Content\r\n\r\n");
}

}  // namespace
}  // namespace switchyard::proxy
