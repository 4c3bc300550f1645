#include "dynamo/error.hpp"

#include <gtest/gtest.h>

namespace switchyard::dynamo {
namespace {

const ErrorContext kPut{"PutItem", "switchyard-flags", "eu-west-1"};

TEST(ErrorMapping, TableNotFoundSaysHowToCreateIt) {
    const auto error = map_service_error(
        400,
        R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",)"
        R"("message":"Requested resource not found"})",
        kPut);
    EXPECT_EQ(error.kind, ErrorKind::table_not_found);
    EXPECT_EQ(error.aws_type, "ResourceNotFoundException");
    EXPECT_EQ(error.message.rfind("table switchyard-flags not found in eu-west-1: create it with "
                                  "`switchyard ctl init-table`",
                                  0),
              0u)
        << error.message;
}

TEST(ErrorMapping, AccessDeniedNamesTheMissingAction) {
    const auto error = map_service_error(
        400, R"({"__type":"com.amazon.coral.service#AccessDeniedException","Message":"nope"})",
        kPut);
    EXPECT_EQ(error.kind, ErrorKind::access_denied);
    EXPECT_NE(error.message.find("access denied: the IAM policy needs dynamodb:PutItem on "
                                 "arn:aws:dynamodb:eu-west-1:<account>:table/switchyard-flags"),
              std::string::npos)
        << error.message;
}

TEST(ErrorMapping, AccessDeniedOnATransactionNamesTheItemActions) {
    const auto error =
        map_service_error(400, R"({"__type":"com.amazon.coral.service#AccessDeniedException"})",
                          ErrorContext{"TransactWriteItems", "switchyard-flags", "eu-west-1"});
    EXPECT_NE(error.message.find("dynamodb:ConditionCheckItem"), std::string::npos)
        << error.message;
    EXPECT_EQ(error.message.find("dynamodb:TransactWriteItems"), std::string::npos);
}

TEST(ErrorMapping, ConditionFailedIsItsOwnKindAndKeepsTheOldItem) {
    const auto error = map_service_error(
        400,
        R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
        R"("message":"The conditional request failed","Item":{"pk":{"S":"door#acme"}}})",
        kPut);
    EXPECT_EQ(error.kind, ErrorKind::condition_failed);
    ASSERT_TRUE(error.item);
    EXPECT_EQ((*error.item)["pk"]["S"], "door#acme");
}

TEST(ErrorMapping, TransactionCancelledCarriesTheReasonsInOrder) {
    const auto error = map_service_error(
        400,
        R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",)"
        R"("Message":"Transaction cancelled, please refer cancellation reasons for specific )"
        R"(reasons [None, ConditionalCheckFailed]",)"
        R"("CancellationReasons":[{"Code":"None"},)"
        R"({"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]})",
        ErrorContext{"TransactWriteItems", "switchyard-flags", "eu-west-1"});
    EXPECT_EQ(error.kind, ErrorKind::transaction_cancelled);
    ASSERT_EQ(error.cancellation_reasons.size(), 2u);
    EXPECT_EQ(error.cancellation_reasons[0].code, "None");
    EXPECT_EQ(error.cancellation_reasons[1].code, "ConditionalCheckFailed");
    EXPECT_NE(error.message.find("nothing was written: item 1: ConditionalCheckFailed"),
              std::string::npos)
        << error.message;
}

TEST(ErrorMapping, TransactionReasonsFromTheMessageWhenNoListCame) {
    const auto error = map_service_error(
        400,
        R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",)"
        R"("message":"Transaction cancelled, please refer cancellation reasons for specific )"
        R"(reasons [ConditionalCheckFailed, None]"})",
        ErrorContext{"TransactWriteItems", "t", "r"});
    ASSERT_EQ(error.cancellation_reasons.size(), 2u);
    EXPECT_EQ(error.cancellation_reasons[0].code, "ConditionalCheckFailed");
    EXPECT_EQ(error.cancellation_reasons[1].code, "None");
}

TEST(ErrorMapping, ThrottlingTypesAreThrottled) {
    for (const char* type : {"ProvisionedThroughputExceededException", "ThrottlingException",
                             "RequestLimitExceeded"}) {
        const auto error = map_service_error(
            400, std::string(R"({"__type":"com.amazonaws.dynamodb.v20120810#)") + type + "\"}",
            kPut);
        EXPECT_EQ(error.kind, ErrorKind::throttled) << type;
    }
}

TEST(ErrorMapping, CredentialProblemsAreNamed) {
    EXPECT_EQ(map_service_error(400, R"({"__type":"x#UnrecognizedClientException"})", kPut).kind,
              ErrorKind::bad_credentials);
    EXPECT_EQ(map_service_error(400, R"({"__type":"x#InvalidSignatureException"})", kPut).kind,
              ErrorKind::bad_credentials);
    EXPECT_EQ(map_service_error(400, R"({"__type":"x#ExpiredTokenException"})", kPut).kind,
              ErrorKind::expired_credentials);
}

TEST(ErrorMapping, FiveHundredsWithoutABodyAreServerErrors) {
    const auto error = map_service_error(503, "<html>busy</html>", kPut);
    EXPECT_EQ(error.kind, ErrorKind::server_error);
    EXPECT_EQ(error.http_status, 503);
    EXPECT_NE(error.message.find("HTTP 503"), std::string::npos);
}

TEST(ErrorMapping, UnknownOperationFromAnXmlBody) {
    const auto error = map_service_error(404, "<UnknownOperationException/>\n", kPut);
    EXPECT_EQ(error.kind, ErrorKind::unsupported_operation);
    EXPECT_EQ(error.message, "the endpoint does not support PutItem");
}

}  // namespace
}  // namespace switchyard::dynamo
