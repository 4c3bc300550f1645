// dynalite killed and restarted: every operation answers `unavailable` in bounded time (the
// test's own timeout would catch a hang); the poller keeps the last good state, says it is
// stale once, and converges when the table is back.
#include <atomic>

#include "flag_table/door_writer.hpp"
#include "flag_table/table_poller.hpp"
#include "table_fixture.hpp"
#include "test_client.hpp"
#include "wait.hpp"

namespace switchyard::flag_table::test {
namespace {

using switchyard::test::DynaliteProcess;
using switchyard::test::wait_until;

class TableOutageTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!DynaliteProcess::node_available()) GTEST_SKIP() << DynaliteProcess::kNodeMissing;
        ASSERT_TRUE(DynaliteProcess::script_installed()) << DynaliteProcess::kDynaliteMissing;
        dynalite_.start();
        table_ = open_table(settings("proxy-1"));
        ASSERT_TRUE(table_->init_table(10s));
        ASSERT_EQ(table_
                      ->commit(change_to(load_or_fail(*table_),
                                         R"({"tenants": {"acme": {"stage": "new"}}})"))
                      .status,
                  CommitStatus::committed);
    }
    TableSettings settings(const std::string& instance) {
        return test_settings(dynalite_.endpoint(), name_, instance, 1s);
    }

    DynaliteProcess dynalite_;
    const std::string name_ = dynamo::test::unique_table_name("outage");
    std::unique_ptr<FlagTable> table_;
};

TEST_F(TableOutageTest, EveryOperationAnswersUnavailable) {
    const auto base = load_or_fail(*table_);
    dynalite_.kill_hard();
    const auto loaded = table_->load();
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().kind, StoreErrorKind::unavailable) << loaded.error().message;
    const auto changes = table_->changes_since(base.seq);
    ASSERT_FALSE(changes);
    EXPECT_EQ(changes.error().kind, StoreErrorKind::unavailable);
    const auto committed =
        table_->commit(change_to(base, R"({"tenants": {"acme": {"stage": "reads"}}})"));
    EXPECT_EQ(committed.status, CommitStatus::unavailable) << committed.message;
    const auto doors = table_->close_doors({{"globex", 1, "r", "", "", ""}}, 1s);
    ASSERT_FALSE(doors);
    EXPECT_EQ(doors.error().kind, StoreErrorKind::unavailable);
    const auto audit = table_->read_audit({});
    ASSERT_FALSE(audit);

    dynalite_.restart();
    const auto after = load_or_fail(*table_);
    EXPECT_EQ(after.flags->find("acme")->stage, Stage::new_);  // nothing half-written
    EXPECT_TRUE(after.doors.empty());
}

TEST_F(TableOutageTest, ThePollerKeepsTheLastGoodStateAndConverges) {
    std::atomic<int> went_stale{0}, recovered{0};
    std::shared_ptr<const flags::FlagSnapshot> published;
    std::mutex mutex;
    LiveDoors doors([&](std::shared_ptr<const flags::FlagSnapshot> flags,
                        std::shared_ptr<const flags::DoorSet>) {
        std::lock_guard lock(mutex);
        if (flags) published = flags;
    });
    // What the status said while each hook ran: not yet what the hook reports, so that
    // whoever reads the status change finds it logged.
    const TablePoller* watched = nullptr;
    std::atomic<bool> said_stale_before_the_hook{false}, said_recovered_before_the_hook{false};
    TablePoller::Hooks hooks;
    hooks.on_stale = [&](const StoreError&) {
        if (watched->status().stale) said_stale_before_the_hook = true;
        ++went_stale;
    };
    hooks.on_recovered = [&](std::chrono::milliseconds) {
        if (!watched->status().stale) said_recovered_before_the_hook = true;
        ++recovered;
    };
    TablePoller poller(*table_, doors, PollerOptions{.poll_interval = 50ms}, hooks);
    watched = &poller;
    ASSERT_TRUE(poller.load_now());
    poller.start();

    dynalite_.kill_hard();
    ASSERT_TRUE(wait_until([&] { return poller.status().failures >= 2; }, 20s));
    EXPECT_TRUE(poller.status().stale);
    EXPECT_NE(poller.status().last_error.find("did not answer"), std::string::npos)
        << poller.status().last_error;
    EXPECT_EQ(went_stale, 1);  // once, not at every poll
    {
        std::lock_guard lock(mutex);
        EXPECT_EQ(published->find("acme")->stage, Stage::new_);
    }

    dynalite_.restart();
    auto writer = open_table(settings("proxy-2"));
    ASSERT_EQ(writer
                  ->commit(change_to(load_or_fail(*writer),
                                     R"({"tenants": {"acme": {"stage": "final"}}})"))
                  .status,
              CommitStatus::committed);
    EXPECT_TRUE(wait_until(
        [&] {
            std::lock_guard lock(mutex);
            return published->find("acme")->stage == Stage::final_;
        },
        20s));
    EXPECT_TRUE(wait_until([&] { return !poller.status().stale; }, 20s));
    EXPECT_EQ(recovered, 1);
    EXPECT_EQ(went_stale, 1);
    EXPECT_FALSE(said_stale_before_the_hook);
    EXPECT_FALSE(said_recovered_before_the_hook);
}

TEST_F(TableOutageTest, ADoorThatCannotBeMadeDurableAnswersAnError) {
    LiveDoors doors(nullptr);
    DoorWriter writer(*table_, doors, 1s);
    dynalite_.kill_hard();
    std::atomic<bool> answered{false};
    std::string error;
    writer.close_before_forwarding({"globex", 1, "r", "", "POST", "/"}, [&](const Error* failure) {
        error = failure ? failure->message : "";
        answered = true;
    });
    ASSERT_TRUE(wait_until([&] { return answered.load(); }, 20s));
    EXPECT_NE(error.find("did not answer"), std::string::npos) << error;
    EXPECT_FALSE(doors.closed("globex"));
}

}  // namespace
}  // namespace switchyard::flag_table::test
