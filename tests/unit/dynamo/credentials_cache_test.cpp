#include "dynamo/credentials_cache.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "dynamo/provider_chain.hpp"
#include "scripted_provider.hpp"

namespace switchyard::dynamo {
namespace {

using namespace std::chrono_literals;
using test::make_credentials;
using test::ScriptedProvider;
using TimePoint = std::chrono::system_clock::time_point;

class CredentialsCacheTest : public ::testing::Test {
  protected:
    CredentialsCache make_cache() {
        return CredentialsCache(
            provider_, [this] { return now_; }, 5min, 10s);
    }

    TimePoint now_ = TimePoint(std::chrono::hours(480000));
    std::shared_ptr<ScriptedProvider> provider_ = std::make_shared<ScriptedProvider>();
};

TEST_F(CredentialsCacheTest, KeepsCredentialsUntilFiveMinutesBeforeExpiry) {
    provider_->answers = {make_credentials("FIRST", now_ + 1h),
                          make_credentials("SECOND", now_ + 2h)};
    auto cache = make_cache();
    EXPECT_EQ(cache.get()->access_key_id, "FIRST");
    now_ += 54min;
    EXPECT_EQ(cache.get()->access_key_id, "FIRST");
    EXPECT_EQ(provider_->loads, 1);
    now_ += 1min + 1s;  // 4m59s before expiry: inside the refresh margin
    EXPECT_EQ(cache.get()->access_key_id, "SECOND");
    EXPECT_EQ(provider_->loads, 2);
}

TEST_F(CredentialsCacheTest, LongTermKeysAreLoadedOnce) {
    provider_->answers = {make_credentials("STATIC", std::nullopt)};
    auto cache = make_cache();
    for (int i = 0; i < 5; ++i) {
        now_ += 24h;
        EXPECT_EQ(cache.get()->access_key_id, "STATIC");
    }
    EXPECT_EQ(provider_->loads, 1);
}

TEST_F(CredentialsCacheTest, FailedRefreshKeepsStillValidCredentialsAndRetriesLater) {
    provider_->answers = {make_credentials("FIRST", now_ + 10min), Error{"endpoint down"}};
    auto cache = make_cache();
    EXPECT_EQ(cache.get()->access_key_id, "FIRST");
    now_ += 6min;  // refresh due, refresh fails, the old ones still have 4 minutes
    EXPECT_EQ(cache.get()->access_key_id, "FIRST");
    EXPECT_EQ(provider_->loads, 2);
    now_ += 5s;  // within retry_after: not asked again
    EXPECT_EQ(cache.get()->access_key_id, "FIRST");
    EXPECT_EQ(provider_->loads, 2);
    now_ += 10s;
    EXPECT_EQ(cache.get()->access_key_id, "FIRST");
    EXPECT_EQ(provider_->loads, 3);
}

TEST_F(CredentialsCacheTest, ExpiredCredentialsAreNeverUsed) {
    provider_->answers = {make_credentials("FIRST", now_ + 10min), Error{"endpoint down"}};
    auto cache = make_cache();
    EXPECT_TRUE(cache.get());
    now_ += 11min;
    const auto second = cache.get();
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().message, "endpoint down");
}

TEST_F(CredentialsCacheTest, InvalidateForcesAReload) {
    provider_->answers = {make_credentials("FIRST", std::nullopt),
                          make_credentials("SECOND", std::nullopt)};
    auto cache = make_cache();
    EXPECT_EQ(cache.get()->access_key_id, "FIRST");
    cache.invalidate();
    EXPECT_EQ(cache.get()->access_key_id, "SECOND");
}

TEST(ProviderChain, TakesTheFirstProviderWithCredentials) {
    auto empty = std::make_shared<ScriptedProvider>("environment");
    auto failing = std::make_shared<ScriptedProvider>("shared credentials file");
    failing->answers = {Error{"bad file"}};
    auto good = std::make_shared<ScriptedProvider>("container");
    good->answers = {make_credentials("CONTAINER", std::nullopt)};
    auto never = std::make_shared<ScriptedProvider>("instance metadata");
    ProviderChain chain({empty, failing, good, never});
    const auto found = chain.load();
    ASSERT_TRUE(found && found.value());
    EXPECT_EQ(found.value()->access_key_id, "CONTAINER");
    EXPECT_EQ(never->loads, 0);
}

TEST(ProviderChain, NoneFoundSaysWhatEachProviderSaw) {
    auto empty = std::make_shared<ScriptedProvider>("environment");
    auto failing = std::make_shared<ScriptedProvider>("shared credentials file");
    failing->answers = {Error{"bad file"}};
    ProviderChain chain({empty, failing});
    const auto found = chain.load();
    ASSERT_FALSE(found);
    EXPECT_NE(found.error().message.find("environment: none; shared credentials file: bad file"),
              std::string::npos)
        << found.error().message;
}

}  // namespace
}  // namespace switchyard::dynamo
