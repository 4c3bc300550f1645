// The one-way door through the real binary (ARCHITECTURE.md invariants 3 and 5): the first
// unsafe request of a tenant on new is journaled before it reaches the new side, and once
// closed, the door holds the tenant on new against a flag edit that would move it back.
#include <mutex>

#include "proxy_fixture.hpp"

namespace switchyard::test {
namespace {

class OneWayDoor : public ProxyTest {
  protected:
    std::string journal() const { return proxy_->read_file("state/doors.jsonl"); }
    bool journal_names(const std::string& tenant) const {
        return journal().find("\"" + tenant + "\"") != std::string::npos;
    }
    ClientResponse post_as(const std::string& tenant) const {
        return http_request(port(), "POST", "/orders", {{"X-Tenant-Id", tenant}}, "{\"qty\":1}");
    }
    bool log_mentions(const std::string& text) const {
        return wait_until([&] { return proxy_log().find(text) != std::string::npos; }, 5s, 20ms);
    }
    // Keeps what the journal held as each request reached the new side.
    void watch_journal_at_arrival() {
        new_.set_arrival_hook([this](const RecordedRequest&) {
            const std::string seen = journal();
            std::lock_guard lock(mutex_);
            journal_at_arrival_.push_back(seen);
        });
    }
    std::vector<std::string> journal_at_arrival() {
        std::lock_guard lock(mutex_);
        return journal_at_arrival_;
    }

  private:
    std::mutex mutex_;
    std::vector<std::string> journal_at_arrival_;
};

TEST_F(OneWayDoor, FirstWriteIsJournaledBeforeItReachesNew) {
    ASSERT_NO_FATAL_FAILURE(launch(FlagDocument{}.tenant("acme", "new").json()));
    watch_journal_at_arrival();

    const auto response = post_as("acme");
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.body, "new");
    ASSERT_EQ(new_.request_count(), 1u);
    EXPECT_EQ(new_.last_request().method, "POST");
    const auto journals = journal_at_arrival();
    ASSERT_EQ(journals.size(), 1u);
    EXPECT_NE(journals[0].find("\"acme\""), std::string::npos)
        << "the POST reached new before its door closing was journaled:\n"
        << journals[0];
}

TEST_F(OneWayDoor, SafeRequestsLeaveTheDoorOpen) {
    ASSERT_NO_FATAL_FAILURE(launch(FlagDocument{}.tenant("acme", "new").json()));
    ASSERT_EQ(get_as("acme").body, "new");
    EXPECT_EQ(http_request(port(), "HEAD", "/", {{"X-Tenant-Id", "acme"}}).status, 200);
    EXPECT_FALSE(journal_names("acme")) << journal();
    EXPECT_EQ(new_.request_count(), 2u);
}

TEST_F(OneWayDoor, OpenDoorTenantMovesBackToLegacy) {
    ASSERT_NO_FATAL_FAILURE(launch(FlagDocument{}.tenant("acme", "new").json()));
    ASSERT_EQ(get_as("acme").body, "new");
    proxy().write_flags_in_place(FlagDocument{}.tenant("acme", "legacy").json());
    EXPECT_TRUE(wait_until([&] { return side_of(get_as("acme")) == "legacy"; }, kReloadBound));
    EXPECT_EQ(legacy_.last_request().headers.value_or_empty("X-Tenant-Id"), "acme");
}

TEST_F(OneWayDoor, ClosedDoorRefusesAFlagEditMovingTheTenantBack) {
    ASSERT_NO_FATAL_FAILURE(launch(FlagDocument{}.tenant("acme", "new").json()));
    ASSERT_EQ(post_as("acme").status, 200);
    ASSERT_TRUE(journal_names("acme")) << journal();

    // Rejected whole (invariant 2): globex's move in the same edit does not apply either.
    proxy().write_flags_in_place(
        FlagDocument{}.tenant("acme", "legacy").tenant("globex", "new").json());
    EXPECT_TRUE(log_mentions("refused")) << proxy_log();
    EXPECT_NE(proxy_log().find("acme"), std::string::npos) << proxy_log();
    EXPECT_EQ(side_of(get_as("acme")), "new");
    EXPECT_EQ(side_of(post_as("acme")), "new");
    EXPECT_EQ(side_of(get_as("globex")), "legacy");
    EXPECT_EQ(legacy_.requests().size(), 1u);  // globex's GET, nothing of acme's
}

}  // namespace
}  // namespace switchyard::test
