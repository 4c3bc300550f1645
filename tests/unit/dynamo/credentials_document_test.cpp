#include "dynamo/credentials_document.hpp"

#include <gtest/gtest.h>

namespace switchyard::dynamo {
namespace {

TEST(CredentialsDocument, ParsesTheContainerAndInstanceMetadataShape) {
    const auto found = parse_credentials_document(R"({
        "Code": "Success", "LastUpdated": "2026-11-23T06:00:00Z", "Type": "AWS-HMAC",
        "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "role-secret", "Token": "role-token",
        "Expiration": "2015-08-30T12:36:00Z"})",
                                                  "instance metadata");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->access_key_id, "ASIAEXAMPLE");
    EXPECT_EQ(found->secret_access_key.reveal(), "role-secret");
    EXPECT_EQ(found->session_token.reveal(), "role-token");
    ASSERT_TRUE(found->expiration);
    EXPECT_EQ(found->expiration->time_since_epoch(), std::chrono::seconds(1440938160));
}

TEST(CredentialsDocument, RefusesAFailureCode) {
    const auto found = parse_credentials_document(
        R"({"Code": "AssumeRoleUnauthorizedAccess", "Message": "no trust"})", "imds");
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().message,
              "imds: Code is AssumeRoleUnauthorizedAccess, not Success (no trust)");
}

TEST(CredentialsDocument, RefusesMissingKeysAndBadDates) {
    EXPECT_FALSE(parse_credentials_document(R"({"AccessKeyId": "A"})", "ecs"));
    EXPECT_FALSE(parse_credentials_document("not json", "ecs"));
    EXPECT_FALSE(parse_credentials_document(
        R"({"AccessKeyId": "A", "SecretAccessKey": "B", "Expiration": "tomorrow"})", "ecs"));
}

TEST(Iso8601, AcceptsFractionsAndOffsets) {
    const auto base = std::chrono::seconds(1440938160);
    EXPECT_EQ(parse_iso8601("2015-08-30T12:36:00.123Z")->time_since_epoch(), base);
    EXPECT_EQ(parse_iso8601("2015-08-30T14:36:00+02:00")->time_since_epoch(), base);
    EXPECT_FALSE(parse_iso8601("2015-08-30 12:36"));
}

}  // namespace
}  // namespace switchyard::dynamo
