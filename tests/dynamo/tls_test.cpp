// HTTPS is verified: dynalite serves TLS with a certificate made here by the openssl command;
// the client accepts it only when it trusts the issuer and the certificate names the host.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "dynalite_process.hpp"
#include "test_client.hpp"

namespace switchyard::dynamo::test {
namespace {

using namespace std::chrono_literals;
using switchyard::test::DynaliteProcess;

class TlsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!DynaliteProcess::node_available()) GTEST_SKIP() << DynaliteProcess::kNodeMissing;
        ASSERT_TRUE(DynaliteProcess::script_installed()) << DynaliteProcess::kDynaliteMissing;
        if (std::system("command -v openssl >/dev/null 2>&1") != 0) {
            GTEST_SKIP() << "the openssl command is not installed: it makes the test certificate";
        }
        directory_ = std::filesystem::temp_directory_path() /
                     ("switchyard-tls-" + std::to_string(::getpid()));
        std::filesystem::create_directories(directory_);
    }
    void TearDown() override {
        dynalite_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(directory_, ignored);
    }

    // A self-signed certificate for `names` (subjectAltName syntax), valid for two days.
    void serve_with_certificate(const std::string& names) {
        const auto certificate = (directory_ / "cert.pem").string();
        const auto key = (directory_ / "key.pem").string();
        const std::string command =
            "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=switchyard-test"
            " -addext 'subjectAltName=" +
            names + "' -keyout '" + key + "' -out '" + certificate + "' >/dev/null 2>&1";
        ASSERT_EQ(std::system(command.c_str()), 0) << command;
        certificate_file_ = certificate;
        dynalite_ = std::make_unique<DynaliteProcess>(DynaliteProcess::Options{certificate, key});
        dynalite_->start();
    }

    Outcome<TableDescription> describe_through(const std::string& endpoint, bool trust_it) {
        auto config = test_config(endpoint);
        if (trust_it) config.ca_file = certificate_file_;
        return make_client(config)->describe_table("absent-table");
    }

    std::filesystem::path directory_;
    std::string certificate_file_;
    std::unique_ptr<DynaliteProcess> dynalite_;
};

TEST_F(TlsTest, TrustedCertificateNamingTheHostIsAccepted) {
    serve_with_certificate("DNS:localhost,IP:127.0.0.1");
    const auto by_address = describe_through(dynalite_->endpoint(), true);
    ASSERT_FALSE(by_address);  // the table is absent: DynamoDB's own answer came back over TLS
    EXPECT_EQ(by_address.error().kind, ErrorKind::table_not_found) << by_address.error().message;
    const auto by_name =
        describe_through("https://localhost:" + std::to_string(dynalite_->port()), true);
    ASSERT_FALSE(by_name);
    EXPECT_EQ(by_name.error().kind, ErrorKind::table_not_found) << by_name.error().message;
}

TEST_F(TlsTest, UntrustedCertificateIsRefusedWithoutRetrying) {
    serve_with_certificate("DNS:localhost,IP:127.0.0.1");
    const auto refused = describe_through(dynalite_->endpoint(), false);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::certificate_refused) << refused.error().message;
    EXPECT_EQ(refused.error().attempts, 1);
    EXPECT_NE(refused.error().message.find("was refused"), std::string::npos)
        << refused.error().message;
}

TEST_F(TlsTest, CertificateForAnotherHostIsRefused) {
    serve_with_certificate("DNS:elsewhere.example");
    const auto refused = describe_through(dynalite_->endpoint(), true);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::certificate_refused) << refused.error().message;
    EXPECT_NE(refused.error().message.find("it does not name 127.0.0.1"), std::string::npos)
        << refused.error().message;
}

}  // namespace
}  // namespace switchyard::dynamo::test
