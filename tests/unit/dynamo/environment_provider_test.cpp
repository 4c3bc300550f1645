#include "dynamo/environment_provider.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "fake_environment.hpp"

namespace switchyard::dynamo {
namespace {

using test::fake_environment;

TEST(EnvironmentProvider, ReadsKeyIdSecretAndSessionToken) {
    EnvironmentProvider provider(fake_environment({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                                   {"AWS_SECRET_ACCESS_KEY", "env-secret"},
                                                   {"AWS_SESSION_TOKEN", "env-token"}}));
    const auto found = provider.load();
    ASSERT_TRUE(found && found.value()) << (found ? "none" : found.error().message);
    const auto& credentials = *found.value();
    EXPECT_EQ(credentials.access_key_id, "AKIDENV");
    EXPECT_EQ(credentials.secret_access_key.reveal(), "env-secret");
    EXPECT_EQ(credentials.session_token.reveal(), "env-token");
    EXPECT_FALSE(credentials.expiration);
}

TEST(EnvironmentProvider, NothingSetMeansNotHere) {
    EnvironmentProvider provider(fake_environment({}));
    const auto found = provider.load();
    ASSERT_TRUE(found);
    EXPECT_FALSE(found.value());
}

TEST(EnvironmentProvider, HalfSetIsAnErrorNamingTheMissingVariable) {
    EnvironmentProvider provider(fake_environment({{"AWS_ACCESS_KEY_ID", "AKIDENV"}}));
    const auto found = provider.load();
    ASSERT_FALSE(found);
    EXPECT_NE(found.error().message.find("AWS_SECRET_ACCESS_KEY is not set"), std::string::npos);
}

TEST(Secret, NeverPrints) {
    Credentials credentials;
    credentials.access_key_id = "AKIDPRINT";
    credentials.secret_access_key = Secret("do-not-print-me");
    credentials.session_token = Secret("nor-me");
    credentials.source = "test";
    std::ostringstream out;
    out << credentials << " " << credentials.secret_access_key;
    EXPECT_EQ(out.str().find("do-not-print-me"), std::string::npos) << out.str();
    EXPECT_EQ(out.str().find("nor-me"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("AKIDPRINT"), std::string::npos);
    EXPECT_NE(out.str().find("***"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::dynamo
