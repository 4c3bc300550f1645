// The process runner against a stand-in script: arguments, ready file, signals, exit codes.
#include "proxy_process.hpp"

#include <gtest/gtest.h>

#include "wait.hpp"

namespace switchyard::test {
namespace {

ProxyLaunch fake_launch(nlohmann::json config = {{"listen", "whatever"}}) {
    return ProxyLaunch{FAKE_PROXY_SCRIPT, std::move(config), R"({"default_stage": "legacy"})", {}};
}

TEST(ProxyProcess, ReadyFileGivesTheListeningPorts) {
    ProxyProcess proxy(fake_launch());
    ASSERT_TRUE(proxy.wait_ready()) << proxy.describe();
    ASSERT_EQ(proxy.listening().size(), 2u);
    EXPECT_EQ(proxy.listening()[0].host, "127.0.0.1");
    EXPECT_EQ(proxy.port(0), 4242);
    EXPECT_EQ(proxy.listening()[1].host, "::1");
    EXPECT_EQ(proxy.port(1), 4243);
    EXPECT_GT(proxy.rss_bytes(), 0u);
}

TEST(ProxyProcess, SigtermExitCodeIsReported) {
    ProxyProcess proxy(fake_launch());
    ASSERT_TRUE(proxy.wait_ready()) << proxy.describe();
    proxy.terminate();
    EXPECT_EQ(proxy.wait_exit(5s), 0);
    EXPECT_NE(proxy.stdout_text().find("draining"), std::string::npos);
    EXPECT_FALSE(proxy.running());
}

TEST(ProxyProcess, SigkillIsReportedAs137) {
    ProxyProcess proxy(fake_launch());
    ASSERT_TRUE(proxy.wait_ready()) << proxy.describe();
    proxy.kill();
    EXPECT_EQ(proxy.wait_exit(5s), 128 + 9);
}

TEST(ProxyProcess, SighupReachesTheProcess) {
    ProxyProcess proxy(fake_launch());
    ASSERT_TRUE(proxy.wait_ready()) << proxy.describe();
    proxy.hangup();
    EXPECT_TRUE(
        wait_until([&] { return proxy.stdout_text().find("reloaded") != std::string::npos; }, 5s));
}

TEST(ProxyProcess, StartupFailureIsNotReadyAndKeepsStderr) {
    ProxyProcess proxy(fake_launch({{"fail_on_start", true}}));
    EXPECT_FALSE(proxy.wait_ready(5s));
    EXPECT_EQ(proxy.wait_exit(5s), 3);
    EXPECT_NE(proxy.stderr_text().find("refusing to start"), std::string::npos);
}

TEST(ProxyProcess, FlagFileRewritesLandWhole) {
    ProxyProcess proxy(fake_launch());
    proxy.write_flags_in_place(R"({"default_stage": "new"})");
    EXPECT_EQ(proxy.read_file(ProxyProcess::kFlagsFile), R"({"default_stage": "new"})");
    proxy.write_flags_by_rename(R"({"default_stage": "reads"})");
    EXPECT_EQ(proxy.read_file(ProxyProcess::kFlagsFile), R"({"default_stage": "reads"})");
}

TEST(ProxyProcess, ListenAddressesParse) {
    EXPECT_EQ(parse_listen_address("127.0.0.1:80")->port, 80);
    EXPECT_EQ(parse_listen_address("[::1]:8080")->host, "::1");
    EXPECT_FALSE(parse_listen_address("127.0.0.1"));
    EXPECT_FALSE(parse_listen_address("127.0.0.1:99999"));
}

}  // namespace
}  // namespace switchyard::test
