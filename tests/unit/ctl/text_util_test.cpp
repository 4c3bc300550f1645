#include "ctl/text_util.hpp"

#include <gtest/gtest.h>

#include "ctl/admin_client.hpp"

namespace switchyard::ctl {
namespace {

using nlohmann::json;

TEST(FieldText, PrintsWhateverTypeCameBackAndADashForNothing) {
    const auto object = json::parse(R"({"s": "x", "n": 5, "b": true, "z": null})");
    EXPECT_EQ(field_text(object, "s"), "x");
    EXPECT_EQ(field_text(object, "n"), "5");
    EXPECT_EQ(field_text(object, "b"), "true");
    EXPECT_EQ(field_text(object, "z"), "-");
    EXPECT_EQ(field_text(object, "missing"), "-");
    EXPECT_EQ(field_text(json::array(), "s"), "-");
}

TEST(UtcTime, FormatsLikeTheApi) { EXPECT_EQ(utc_time(1732356902123), "2024-11-23T10:15:02Z"); }

TEST(PercentText, KeepsHundredthsAndDropsTrailingZeros) {
    EXPECT_EQ(percent_text(5), "5%");
    EXPECT_EQ(percent_text(12.5), "12.5%");
    EXPECT_EQ(percent_text(0.01), "0.01%");
    EXPECT_EQ(percent_text(0), "0%");
    EXPECT_EQ(percent_text(100), "100%");
}

TEST(ShellQuote, QuotesOnlyWhatAShellWouldSplitOrExpand) {
    EXPECT_EQ(shell_quote("acme"), "acme");
    EXPECT_EQ(shell_quote("http://127.0.0.1:9901"), "http://127.0.0.1:9901");
    EXPECT_EQ(shell_quote("rollback INC-42"), "'rollback INC-42'");
    EXPECT_EQ(shell_quote("it's $HOME"), "'it'\\''s $HOME'");
    EXPECT_EQ(shell_quote(""), "''");
}

TEST(Versions, ShownWithoutQuotesAndAcceptedEitherWay) {
    EXPECT_EQ(version_text("\"3f2a\""), "3f2a");
    EXPECT_EQ(etag_of_version("3f2a"), "\"3f2a\"");
    EXPECT_EQ(etag_of_version("\"3f2a\""), "\"3f2a\"");
    EXPECT_EQ(etag_of_version(""), "");
}

TEST(AdminUrl, ParsesHostPortAndPrefix) {
    auto url = parse_admin_url("http://127.0.0.1:9901");
    ASSERT_TRUE(url) << url.error().message;
    EXPECT_EQ(url->host, "127.0.0.1");
    EXPECT_EQ(url->port, 9901);
    EXPECT_EQ(url->base_path, "");
    EXPECT_EQ(url->text(), "http://127.0.0.1:9901");

    url = parse_admin_url("http://[::1]:9901/switchyard/");
    ASSERT_TRUE(url) << url.error().message;
    EXPECT_EQ(url->host, "::1");
    EXPECT_EQ(url->base_path, "/switchyard");
    EXPECT_EQ(url->text(), "http://[::1]:9901/switchyard");

    url = parse_admin_url("localhost:8001");
    ASSERT_TRUE(url);
    EXPECT_EQ(url->host, "localhost");
    EXPECT_EQ(url->port, 8001);

    url = parse_admin_url("http://admin.internal");
    ASSERT_TRUE(url);
    EXPECT_EQ(url->port, 80);
}

TEST(AdminUrl, RefusesWhatItCannotSpeak) {
    EXPECT_FALSE(parse_admin_url("https://127.0.0.1:9901"));
    EXPECT_FALSE(parse_admin_url("ftp://x"));
    EXPECT_FALSE(parse_admin_url("http://:9901"));
    EXPECT_FALSE(parse_admin_url("http://127.0.0.1:99999"));
    EXPECT_FALSE(parse_admin_url("http://127.0.0.1:"));
    EXPECT_NE(parse_admin_url("https://h:1").error().message.find("SSH tunnel"), std::string::npos);
}

TEST(PercentEncode, LeavesUnreservedAlone) {
    EXPECT_EQ(percent_encode("acme-1.eu_x~"), "acme-1.eu_x~");
    EXPECT_EQ(percent_encode("a:b@c d/"), "a%3Ab%40c%20d%2F");
}

}  // namespace
}  // namespace switchyard::ctl
