// SigV4 known-answer tests. dynalite does not check signatures, so these are what does.
//
// Where the vectors come from:
// - "service" cases: AWS's published Signature Version 4 test suite
//   (docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html, the
//   aws-sig-v4-test-suite archive; kept today in awslabs/aws-c-auth under
//   tests/aws-signing-test-suite/v4/<case>/): get-vanilla, get-vanilla-query-order-key-case,
//   post-vanilla, post-x-www-form-urlencoded, get-utf8 and get-vanilla-with-session-token.
//   Credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20150830T123600Z,
//   us-east-1, service "service".
// - "iam" case: the worked example of the SigV4 documentation ("Create a signed AWS API
//   request": IAM ListUsers, GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08),
//   with its published canonical request hash, signing key and signature.
#include "dynamo/sigv4.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace switchyard::dynamo::sigv4 {
namespace {

constexpr const char* kKeyId = "AKIDEXAMPLE";
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kDate = "20150830T123600Z";
constexpr const char* kEmptyHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

Scope suite_scope() { return Scope{"20150830", "us-east-1", "service"}; }

Request suite_request(std::string method, std::string path = "/", std::string query = "") {
    Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.query = std::move(query);
    request.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", kDate}};
    request.payload_sha256_hex = kEmptyHash;
    return request;
}

std::string suite_authorization(std::string_view signed_headers, std::string_view signature) {
    return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
           "SignedHeaders=" +
           std::string(signed_headers) + ", Signature=" + std::string(signature);
}

TEST(SigV4, GetVanillaMatchesTheTestSuiteByteForByte) {
    const auto result = sign(suite_request("GET"), kDate, suite_scope(), kKeyId, kSecret);
    EXPECT_EQ(result.canonical_request,
              "GET\n"
              "/\n"
              "\n"
              "host:example.amazonaws.com\n"
              "x-amz-date:20150830T123600Z\n"
              "\n"
              "host;x-amz-date\n"
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(result.string_to_sign,
              "AWS4-HMAC-SHA256\n"
              "20150830T123600Z\n"
              "20150830/us-east-1/service/aws4_request\n"
              "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
    EXPECT_EQ(result.signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    EXPECT_EQ(
        result.authorization,
        suite_authorization("host;x-amz-date",
                            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
}

TEST(SigV4, GetVanillaQueryOrderKeyCaseSortsTheQuery) {
    const auto result = sign(suite_request("GET", "/", "Param2=value2&Param1=value1"), kDate,
                             suite_scope(), kKeyId, kSecret);
    EXPECT_EQ(result.canonical_request,
              "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
              "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
                  std::string(kEmptyHash));
    EXPECT_EQ(result.signature, "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4, PostVanilla) {
    const auto result = sign(suite_request("POST"), kDate, suite_scope(), kKeyId, kSecret);
    EXPECT_EQ(result.signature, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

TEST(SigV4, PostXWwwFormUrlencodedSignsTheBodyHashAndContentType) {
    Request request = suite_request("POST");
    request.headers.insert(request.headers.begin(),
                           {"Content-Type", "application/x-www-form-urlencoded"});
    request.payload_sha256_hex = sha256_hex("Param1=value1");
    const auto result = sign(request, kDate, suite_scope(), kKeyId, kSecret);
    EXPECT_EQ(result.canonical_request,
              "POST\n"
              "/\n"
              "\n"
              "content-type:application/x-www-form-urlencoded\n"
              "host:example.amazonaws.com\n"
              "x-amz-date:20150830T123600Z\n"
              "\n"
              "content-type;host;x-amz-date\n"
              "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
    EXPECT_EQ(result.string_to_sign,
              "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
              "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281");
    EXPECT_EQ(result.signature, "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

TEST(SigV4, GetUtf8EncodesThePathBytes) {
    const auto result =
        sign(suite_request("GET", "/\xE1\x88\xB4"), kDate, suite_scope(), kKeyId, kSecret);
    EXPECT_EQ(result.canonical_request.substr(0, 15), "GET\n/%E1%88%B4\n");
    EXPECT_EQ(result.signature, "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
}

TEST(SigV4, GetVanillaWithSessionTokenSignsTheTokenHeader) {
    Request request = suite_request("GET");
    request.headers.push_back({"X-Amz-Security-Token",
                               "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"});
    const auto result = sign(request, kDate, suite_scope(), kKeyId, kSecret);
    EXPECT_EQ(result.canonical_request,
              "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n"
              "x-amz-security-token:"
              "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\n\n"
              "host;x-amz-date;x-amz-security-token\n" +
                  std::string(kEmptyHash));
    EXPECT_EQ(
        result.authorization,
        suite_authorization("host;x-amz-date;x-amz-security-token",
                            "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"));
}

TEST(SigV4, IamListUsersDocumentationExample) {
    Request request;
    request.method = "GET";
    request.path = "/";
    request.query = "Action=ListUsers&Version=2010-05-08";
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                       {"Host", "iam.amazonaws.com"},
                       {"X-Amz-Date", kDate}};
    request.payload_sha256_hex = kEmptyHash;
    const Scope scope{"20150830", "us-east-1", "iam"};

    const auto canonical = canonical_request(request);
    EXPECT_EQ(canonical,
              "GET\n"
              "/\n"
              "Action=ListUsers&Version=2010-05-08\n"
              "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
              "host:iam.amazonaws.com\n"
              "x-amz-date:20150830T123600Z\n"
              "\n"
              "content-type;host;x-amz-date\n"
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex(canonical),
              "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
    EXPECT_EQ(to_hex(signing_key(kSecret, scope)),
              "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
    const auto result = sign(request, kDate, scope, kKeyId, kSecret);
    EXPECT_EQ(result.signature, "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    EXPECT_EQ(result.authorization,
              "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
              "SignedHeaders=content-type;host;x-amz-date, "
              "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(SigV4, CanonicalHeadersTrimFoldAndJoinRepeatedNames) {
    const std::vector<Header> headers = {
        {"My-Header1", "  value4  "}, {"host", "h"}, {"my-header1", "a   b   c"}};
    EXPECT_EQ(canonical_headers(headers), "host:h\nmy-header1:value4,a b c\n");
    EXPECT_EQ(signed_headers(headers), "host;my-header1");
}

TEST(SigV4, AmzDateIsUtcBasicFormat) {
    const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1440938160));
    EXPECT_EQ(amz_date(when), "20150830T123600Z");
}

}  // namespace
}  // namespace switchyard::dynamo::sigv4
