#include "proxy/forwarding_headers.hpp"

#include <gtest/gtest.h>

#include "proxy/request_id.hpp"

namespace switchyard::proxy {
namespace {
namespace http = boost::beast::http;

TEST(RemoveHopByHop, DropsFixedSetAndEveryFieldNamedInConnection) {
    http::fields fields;
    fields.insert(http::field::connection, "close, X-Secret");
    fields.insert(http::field::connection, "x-other");
    fields.insert("X-Secret", "s");
    fields.insert("X-Other", "o");
    fields.insert(http::field::keep_alive, "timeout=5");
    fields.insert(http::field::proxy_connection, "keep-alive");
    fields.insert(http::field::te, "trailers");
    fields.insert(http::field::trailer, "X-Checksum");
    fields.insert(http::field::upgrade, "websocket");
    fields.insert(http::field::transfer_encoding, "chunked");
    fields.insert("X-Kept", "k");
    remove_hop_by_hop(fields);
    for (auto name : {"Connection", "X-Secret", "X-Other", "Keep-Alive", "Proxy-Connection", "TE",
                      "Trailer", "Upgrade", "Transfer-Encoding"}) {
        EXPECT_EQ(fields.count(name), 0u) << name;
    }
    EXPECT_EQ(fields["X-Kept"], "k");
}

TEST(AddForwardingHeaders, AppendsToExistingChainsAndSetsTheRest) {
    http::fields fields;
    fields.insert(http::field::host, "acme.example.com:8443");
    fields.insert("X-Forwarded-For", "203.0.113.7");
    fields.insert("X-Forwarded-For", "198.51.100.2");
    fields.insert(http::field::via, "1.1 alb");
    fields.insert("X-Forwarded-Proto", "spoofed");
    add_forwarding_headers(fields, {"127.0.0.1", "http", "rid-1"});
    EXPECT_EQ(fields["X-Forwarded-For"], "203.0.113.7, 198.51.100.2, 127.0.0.1");
    EXPECT_EQ(fields.count("X-Forwarded-For"), 1u);
    EXPECT_EQ(fields["X-Forwarded-Proto"], "http");
    EXPECT_EQ(fields["X-Forwarded-Host"], "acme.example.com:8443");
    EXPECT_EQ(fields["Via"], "1.1 alb, 1.1 switchyard");
    EXPECT_EQ(fields["X-Request-Id"], "rid-1");
}

TEST(AddForwardingHeaders, StartsTheChainWhenAbsent) {
    http::fields fields;
    add_forwarding_headers(fields, {"::1", "http", "rid-2"});
    EXPECT_EQ(fields["X-Forwarded-For"], "::1");
    EXPECT_EQ(fields["Via"], "1.1 switchyard");
    EXPECT_EQ(fields.count("X-Forwarded-Host"), 0u);
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
