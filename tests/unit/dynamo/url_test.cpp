#include "dynamo/url.hpp"

#include <gtest/gtest.h>

namespace switchyard::dynamo {
namespace {

TEST(Url, ParsesEndpointsWithAndWithoutPorts) {
    const auto aws = parse_url("https://dynamodb.eu-west-1.amazonaws.com");
    ASSERT_TRUE(aws);
    EXPECT_TRUE(aws->tls());
    EXPECT_EQ(aws->port, 443);
    EXPECT_EQ(aws->host_header(), "dynamodb.eu-west-1.amazonaws.com");

    const auto local = parse_url("http://127.0.0.1:8000/v2/credentials/x");
    ASSERT_TRUE(local);
    EXPECT_FALSE(local->tls());
    EXPECT_EQ(local->host, "127.0.0.1");
    EXPECT_EQ(local->port, 8000);
    EXPECT_EQ(local->target, "/v2/credentials/x");
    EXPECT_EQ(local->host_header(), "127.0.0.1:8000");

    const auto v6 = parse_url("http://[::1]:9000");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "::1");
    EXPECT_EQ(v6->host_header(), "[::1]:9000");
}

TEST(Url, RefusesWhatIsNotHttp) {
    EXPECT_FALSE(parse_url("dynamodb.eu-west-1.amazonaws.com"));
    EXPECT_FALSE(parse_url("ftp://host"));
    EXPECT_FALSE(parse_url("http://host:0"));
    EXPECT_FALSE(parse_url("http://host:99999"));
    EXPECT_FALSE(parse_url("http://:80"));
}

}  // namespace
}  // namespace switchyard::dynamo
