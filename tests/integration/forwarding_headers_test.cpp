// What the proxy adds and removes on the way (RFC 9110 7.6): hop-by-hop fields stay on their
// hop, X-Forwarded-* and Via describe the client's request, X-Request-Id follows it end to end.
#include <algorithm>

#include "proxy_fixture.hpp"
#include "raw_connection.hpp"

namespace switchyard::test {
namespace {

using ForwardingHeaders = ProxyTest;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// Every value of `name`, joined as a list (RFC 9110 5.3).
std::string joined(const HeaderList& headers, std::string_view name) {
    std::string text;
    for (const auto& value : headers.all(name)) text += (text.empty() ? "" : ", ") + value;
    return text;
}

TEST_F(ForwardingHeaders, HopByHopRequestHeadersStayOnTheClientHop) {
    ASSERT_NO_FATAL_FAILURE(launch());
    const std::string answer = raw_exchange(port(),
                                            "GET /hop HTTP/1.1\r\n"
                                            "Host: shop.example.org\r\n"
                                            "X-Tenant-Id: globex\r\n"
                                            "Connection: close, X-Secret\r\n"
                                            "X-Secret: do-not-forward\r\n"
                                            "Keep-Alive: timeout=5\r\n"
                                            "Proxy-Connection: keep-alive\r\n"
                                            "TE: trailers\r\n"
                                            "Trailer: X-Checksum\r\n"
                                            "Upgrade: h2c\r\n"
                                            "X-Kept: yes\r\n"
                                            "\r\n",
                                            5s);
    EXPECT_EQ(status_of(answer), 200) << answer;
    ASSERT_EQ(legacy_.request_count(), 1u);
    const auto& seen = legacy_.last_request().headers;
    for (const char* name :
         {"X-Secret", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade"}) {
        EXPECT_FALSE(seen.has(name)) << name << " reached the origin:\n" << seen.describe();
    }
    const std::string connection = lower(joined(seen, "Connection"));
    EXPECT_EQ(connection.find("x-secret"), std::string::npos) << connection;
    EXPECT_EQ(connection.find("close"), std::string::npos) << "client's close reached the origin";
    EXPECT_EQ(seen.value_or_empty("X-Kept"), "yes");
}

TEST_F(ForwardingHeaders, ClientConnectionCloseIsHonouredOnTheClientHop) {
    ASSERT_NO_FATAL_FAILURE(launch());
    RawConnection connection(port());
    ASSERT_TRUE(connection.send(
        "GET / HTTP/1.1\r\nHost: a\r\nX-Tenant-Id: globex\r\nConnection: close\r\n\r\n"));
    EXPECT_TRUE(connection.read_until_close(5s)) << connection.received();
    EXPECT_EQ(status_of(connection.received()), 200);
}

TEST_F(ForwardingHeaders, HopByHopResponseHeadersStayOnTheOriginHop) {
    ASSERT_NO_FATAL_FAILURE(launch());
    OriginReply reply = OriginReply::with_status(200, "body");
    reply.headers.add("Connection", "X-Internal");
    reply.headers.add("X-Internal", "origin-secret");
    reply.headers.add("Keep-Alive", "timeout=30");
    reply.headers.add("Proxy-Connection", "keep-alive");
    reply.headers.add("X-Public", "yes");
    legacy_.set_reply(reply);
    const auto response = get_as("globex");
    ASSERT_EQ(response.status, 200) << response.describe();
    for (const char* name : {"X-Internal", "Keep-Alive", "Proxy-Connection"}) {
        EXPECT_FALSE(response.headers.has(name)) << name << " reached the client";
    }
    EXPECT_EQ(response.headers.value_or_empty("X-Public"), "yes");
    EXPECT_EQ(response.body, "body");
}

TEST_F(ForwardingHeaders, ForwardedForAppendsTheClientToAnExistingList) {
    ASSERT_NO_FATAL_FAILURE(launch());
    const auto response = get("/", {{"X-Tenant-Id", "globex"}, {"X-Forwarded-For", "203.0.113.7"}});
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(joined(legacy_.last_request().headers, "X-Forwarded-For"), "203.0.113.7, 127.0.0.1");
}

TEST_F(ForwardingHeaders, ForwardedForNamesTheClientWhenAbsent) {
    ASSERT_NO_FATAL_FAILURE(launch());
    ASSERT_EQ(get_as("globex").status, 200);
    EXPECT_EQ(joined(legacy_.last_request().headers, "X-Forwarded-For"), "127.0.0.1");
}

TEST_F(ForwardingHeaders, ForwardedProtoAndHostDescribeTheClientsRequest) {
    ASSERT_NO_FATAL_FAILURE(launch());
    ASSERT_EQ(get("/", {{"X-Tenant-Id", "globex"}, {"Host", "shop.example.org"}}).status, 200);
    const auto& seen = legacy_.last_request().headers;
    EXPECT_EQ(seen.value_or_empty("X-Forwarded-Proto"), "http");
    EXPECT_EQ(seen.value_or_empty("X-Forwarded-Host"), "shop.example.org");
}

TEST_F(ForwardingHeaders, ViaNamesSwitchyard) {
    ASSERT_NO_FATAL_FAILURE(launch());
    ASSERT_EQ(get_as("globex").status, 200);
    EXPECT_NE(lower(joined(legacy_.last_request().headers, "Via")).find("switchyard"),
              std::string::npos)
        << legacy_.last_request().headers.describe();
}

TEST_F(ForwardingHeaders, ClientsRequestIdIsPassedThroughAndEchoed) {
    ASSERT_NO_FATAL_FAILURE(launch());
    const auto response = get("/", {{"X-Tenant-Id", "globex"}, {"X-Request-Id", "abc-123"}});
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(legacy_.last_request().headers.all("X-Request-Id"),
              std::vector<std::string>{"abc-123"});
    EXPECT_EQ(response.headers.value_or_empty("X-Request-Id"), "abc-123");
}

TEST_F(ForwardingHeaders, RequestIdIsGeneratedWhenAbsent) {
    ASSERT_NO_FATAL_FAILURE(launch());
    const auto first = get_as("globex");
    const auto second = get_as("globex");
    ASSERT_EQ(first.status, 200) << first.describe();
    const std::string id = first.headers.value_or_empty("X-Request-Id");
    EXPECT_FALSE(id.empty());
    EXPECT_EQ(legacy_.requests().at(0).headers.value_or_empty("X-Request-Id"), id);
    EXPECT_NE(second.headers.value_or_empty("X-Request-Id"), id);
}

}  // namespace
}  // namespace switchyard::test
