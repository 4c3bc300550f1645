#include "dynamo/shared_file_provider.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fake_environment.hpp"

namespace switchyard::dynamo {
namespace {

using test::fake_environment;

constexpr const char* kFile = R"(# a comment
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key=default-secret

; another comment
[ops]
aws_access_key_id   =   AKIDOPS
aws_secret_access_key = ops-secret
aws_session_token = ops-token

[broken]
aws_access_key_id = AKIDBROKEN
)";

class SharedFileProviderTest : public ::testing::Test {
  protected:
    void SetUp() override {
        directory_ = std::filesystem::temp_directory_path() /
                     ("switchyard-credentials-" + std::to_string(::getpid()));
        std::filesystem::create_directories(directory_);
        path_ = (directory_ / "credentials").string();
        std::ofstream(path_) << kFile;
    }
    void TearDown() override { std::filesystem::remove_all(directory_); }

    std::filesystem::path directory_;
    std::string path_;
};

TEST(ParseCredentialsFile, TakesTheNamedProfileWithTrimmedValues) {
    const auto found = parse_credentials_file(kFile, "ops", "creds");
    ASSERT_TRUE(found && found.value());
    EXPECT_EQ(found.value()->access_key_id, "AKIDOPS");
    EXPECT_EQ(found.value()->secret_access_key.reveal(), "ops-secret");
    EXPECT_EQ(found.value()->session_token.reveal(), "ops-token");
    EXPECT_EQ(found.value()->source, "shared file creds [ops]");
}

TEST(ParseCredentialsFile, AbsentProfileIsNotHere) {
    const auto found = parse_credentials_file(kFile, "nobody", "creds");
    ASSERT_TRUE(found);
    EXPECT_FALSE(found.value());
}

TEST(ParseCredentialsFile, ProfileWithoutSecretIsAnError) {
    const auto found = parse_credentials_file(kFile, "broken", "creds");
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().message, "creds [broken]: aws_secret_access_key is missing");
}

TEST_F(SharedFileProviderTest, DefaultProfileFromAwsSharedCredentialsFile) {
    SharedFileProvider provider(fake_environment({{"AWS_SHARED_CREDENTIALS_FILE", path_}}));
    const auto found = provider.load();
    ASSERT_TRUE(found && found.value());
    EXPECT_EQ(found.value()->access_key_id, "AKIDDEFAULT");
    EXPECT_TRUE(found.value()->session_token.empty());
}

TEST_F(SharedFileProviderTest, ProfileFromAwsProfile) {
    SharedFileProvider provider(
        fake_environment({{"AWS_SHARED_CREDENTIALS_FILE", path_}, {"AWS_PROFILE", "ops"}}));
    const auto found = provider.load();
    ASSERT_TRUE(found && found.value());
    EXPECT_EQ(found.value()->access_key_id, "AKIDOPS");
}

TEST_F(SharedFileProviderTest, HomeDotAwsCredentialsByDefault) {
    std::filesystem::create_directories(directory_ / ".aws");
    std::filesystem::copy_file(path_, directory_ / ".aws" / "credentials");
    SharedFileProvider provider(fake_environment({{"HOME", directory_.string()}}));
    const auto found = provider.load();
    ASSERT_TRUE(found && found.value());
    EXPECT_EQ(found.value()->access_key_id, "AKIDDEFAULT");
}

TEST_F(SharedFileProviderTest, MissingNamedProfileIsAnError) {
    SharedFileProvider provider(
        fake_environment({{"AWS_SHARED_CREDENTIALS_FILE", path_}, {"AWS_PROFILE", "nobody"}}));
    const auto found = provider.load();
    ASSERT_FALSE(found);
    EXPECT_NE(found.error().message.find("profile nobody (AWS_PROFILE) is not in"),
              std::string::npos);
}

TEST_F(SharedFileProviderTest, MissingFileIsNotHere) {
    SharedFileProvider provider(
        fake_environment({{"AWS_SHARED_CREDENTIALS_FILE", path_ + ".absent"}}));
    const auto found = provider.load();
    ASSERT_TRUE(found);
    EXPECT_FALSE(found.value());
}

}  // namespace
}  // namespace switchyard::dynamo
