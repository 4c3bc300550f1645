// Hot reload of the flag file: edits re-route within a second while traffic flows, bad edits
// keep the last good routing and are logged, and a bad file at start stops the binary.
#include "proxy_fixture.hpp"
#include "traffic_stream.hpp"

namespace switchyard::test {
namespace {

class FlagReload : public ProxyTest {
  protected:
    bool routes_to(const std::string& tenant, const std::string& side) const {
        return side_of(get_as(tenant)) == side;
    }
    // Waits until the proxy's log mentions every piece of `needles`.
    bool log_mentions(std::initializer_list<std::string> needles) {
        return wait_until(
            [&] {
                const std::string log = proxy_log();
                for (const auto& needle : needles) {
                    if (log.find(needle) == std::string::npos) return false;
                }
                return true;
            },
            5s, 20ms);
    }
    // Starts the proxy with acme on legacy, and acme's traffic flowing through it.
    void launch_with_acme_traffic() {
        ASSERT_NO_FATAL_FAILURE(launch(FlagDocument{}.json()));
        ASSERT_EQ(side_of(get_as("acme")), "legacy");
        traffic_ = std::make_unique<TrafficStream>(port(), HeaderList{{"X-Tenant-Id", "acme"}});
        ASSERT_TRUE(wait_until([&] { return traffic_->requests() >= 20; }, 5s));
    }

    std::unique_ptr<TrafficStream> traffic_;
};

TEST_F(FlagReload, EditInPlaceReroutesWithinASecondWithoutFailingRequests) {
    ASSERT_NO_FATAL_FAILURE(launch_with_acme_traffic());

    proxy().write_flags_in_place(FlagDocument{}.tenant("acme", "new").json());
    const auto edited = std::chrono::steady_clock::now();
    EXPECT_TRUE(wait_until([&] { return routes_to("acme", "new"); }, kReloadBound));
    const auto rerouted_after = std::chrono::steady_clock::now() - edited;
    // Let the stream run on the new routing for a while too.
    const std::size_t seen = traffic_->requests();
    EXPECT_TRUE(wait_until([&] { return traffic_->requests() >= seen + 20; }, 5s));
    const TrafficReport report = traffic_->stop();

    EXPECT_LE(rerouted_after, kReloadBound);
    EXPECT_EQ(report.failures, 0u) << report.describe();
    EXPECT_GT(report.legacy_answers, 0u) << report.describe();
    EXPECT_GT(report.new_answers, 0u) << report.describe();
    EXPECT_EQ(new_.last_request().headers.value_or_empty("X-Tenant-Id"), "acme");
}

TEST_F(FlagReload, EditByAtomicRenameReroutes) {
    ASSERT_NO_FATAL_FAILURE(launch_with_acme_traffic());

    proxy().write_flags_by_rename(FlagDocument{}.tenant("acme", "new").json());
    EXPECT_TRUE(wait_until([&] { return routes_to("acme", "new"); }, kReloadBound));
    const TrafficReport report = traffic_->stop();
    EXPECT_EQ(report.failures, 0u) << report.describe();

    // A second rename (the file's inode changed again) is seen as well.
    proxy().write_flags_by_rename(FlagDocument{}.json());
    EXPECT_TRUE(wait_until([&] { return routes_to("acme", "legacy"); }, kReloadBound));
}

TEST_F(FlagReload, SyntaxErrorKeepsLastGoodRoutingAndIsLogged) {
    ASSERT_NO_FATAL_FAILURE(launch(FlagDocument{}.tenant("acme", "new").json()));
    ASSERT_EQ(side_of(get_as("acme")), "new");

    proxy().write_flags_in_place(R"({"default_stage": "new", "tenants": {"acme": )");
    EXPECT_TRUE(log_mentions({ProxyProcess::kFlagsFile})) << proxy_log();
    // The broken document would send everyone to new; the last good one only acme.
    EXPECT_EQ(side_of(get_as("acme")), "new");
    EXPECT_EQ(side_of(get_as("globex")), "legacy");
    EXPECT_EQ(legacy_.last_request().headers.value_or_empty("X-Tenant-Id"), "globex");

    proxy().write_flags_in_place(FlagDocument{}.json());
    EXPECT_TRUE(wait_until([&] { return routes_to("acme", "legacy"); }, kReloadBound));
}

TEST_F(FlagReload, UnknownStageKeepsLastGoodRoutingAndNamesThePlace) {
    ASSERT_NO_FATAL_FAILURE(launch(FlagDocument{}.tenant("acme", "new").json()));
    ASSERT_EQ(side_of(get_as("acme")), "new");

    proxy().write_flags_in_place(FlagDocument{}.tenant("acme", "nwe").json());
    EXPECT_TRUE(log_mentions({"tenants.acme.stage", "nwe"})) << proxy_log();
    EXPECT_EQ(side_of(get_as("acme")), "new");
    EXPECT_EQ(new_.last_request().headers.value_or_empty("X-Tenant-Id"), "acme");

    proxy().write_flags_in_place(
        FlagDocument{}.tenant("acme", "new").tenant("globex", "new").json());
    EXPECT_TRUE(wait_until([&] { return routes_to("globex", "new"); }, kReloadBound));
}

TEST_F(FlagReload, BadFlagFileAtStartExitsNonZeroAndSaysWhy) {
    proxy_ = std::make_unique<ProxyProcess>(ProxyLaunch{
        SWITCHYARD_BINARY, base_config(), FlagDocument{}.tenant("acme", "nwe").json(), {}});
    EXPECT_FALSE(proxy_->wait_ready(10s));
    const auto exit_code = proxy_->wait_exit(10s);
    ASSERT_TRUE(exit_code.has_value()) << "still running with a bad flag file";
    EXPECT_NE(*exit_code, 0);
    EXPECT_NE(proxy_->stderr_text().find("nwe"), std::string::npos) << proxy_->describe();
    EXPECT_NE(proxy_->stderr_text().find(ProxyProcess::kFlagsFile), std::string::npos)
        << proxy_->describe();
}

TEST_F(FlagReload, UnparsableFlagFileAtStartExitsNonZeroAndSaysWhy) {
    proxy_ = std::make_unique<ProxyProcess>(
        ProxyLaunch{SWITCHYARD_BINARY, base_config(), R"({"default_stage": )", {}});
    EXPECT_FALSE(proxy_->wait_ready(10s));
    const auto exit_code = proxy_->wait_exit(10s);
    ASSERT_TRUE(exit_code.has_value()) << "still running with a bad flag file";
    EXPECT_NE(*exit_code, 0);
    EXPECT_NE(proxy_->stderr_text().find(ProxyProcess::kFlagsFile), std::string::npos)
        << proxy_->describe();
}

}  // namespace
}  // namespace switchyard::test
