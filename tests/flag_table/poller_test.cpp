// The poller and the door writer against dynalite: another writer's changes and doors arrive
// in what this instance publishes; concurrent first writes of a tenant share one closing.
#include <atomic>
#include <thread>

#include "flag_table/door_writer.hpp"
#include "flag_table/layout.hpp"
#include "flag_table/table_poller.hpp"
#include "table_fixture.hpp"
#include "wait.hpp"

namespace switchyard::flag_table::test {
namespace {

using switchyard::test::wait_until;

// What this instance would route by: the last publication.
struct Published {
    std::mutex mutex;
    std::shared_ptr<const flags::FlagSnapshot> flags;
    std::shared_ptr<const flags::DoorSet> doors;
    int publications = 0;

    LiveDoors::Publish sink() {
        return [this](std::shared_ptr<const flags::FlagSnapshot> next,
                      std::shared_ptr<const flags::DoorSet> next_doors) {
            std::lock_guard lock(mutex);
            if (next) flags = std::move(next);
            doors = std::move(next_doors);
            ++publications;
        };
    }
    std::optional<Stage> stage(std::string_view tenant) {
        std::lock_guard lock(mutex);
        const auto flag = flags ? flags->find(tenant) : std::nullopt;
        return flag ? std::optional<Stage>(flag->stage) : std::nullopt;
    }
    bool closed(std::string_view tenant) {
        std::lock_guard lock(mutex);
        return doors && doors->closed(tenant);
    }
};

using PollerTest = FlagTableTest;

TEST_F(PollerTest, AnotherWritersChangeAndDoorArriveWithinAPoll) {
    Published published;
    LiveDoors doors(published.sink());
    TablePoller poller(*table_, doors, PollerOptions{.poll_interval = 50ms}, {});
    ASSERT_TRUE(poller.load_now());
    poller.start();

    auto writer = second_instance();
    const auto base = load_or_fail(*writer);
    ASSERT_EQ(writer->commit(change_to(base, R"({"tenants": {"acme": {"stage": "new"}}})")).status,
              CommitStatus::committed);
    ASSERT_TRUE(writer->close_doors({{"acme", 1, "req-1", "", "POST", "/"}}, 5s));
    EXPECT_TRUE(wait_until([&] { return published.stage("acme") == Stage::new_; }, 10s));
    EXPECT_TRUE(wait_until([&] { return published.closed("acme"); }, 10s));
    EXPECT_EQ(poller.status().seq, 2);
    EXPECT_FALSE(poller.status().stale);
    EXPECT_EQ(poller.status().loads, 1u);  // caught up from the log, no second full load
}

TEST_F(PollerTest, SyncNowReturnsWithTheChangeApplied) {
    Published published;
    LiveDoors doors(published.sink());
    TablePoller poller(*table_, doors, PollerOptions{}, {});
    ASSERT_TRUE(poller.load_now());
    const auto base = load_or_fail(*table_);
    const auto committed =
        table_->commit(change_to(base, R"({"tenants": {"globex": {"stage": "reads"}}})"));
    ASSERT_EQ(committed.status, CommitStatus::committed);
    const auto synced = poller.sync_now();
    ASSERT_TRUE(synced) << synced.error().message;
    EXPECT_EQ(*synced, committed.seq);
    EXPECT_EQ(published.stage("globex"), Stage::reads);
}

TEST_F(PollerTest, ALogGapMakesAFullLoadThatConverges) {
    Published published;
    LiveDoors doors(published.sink());
    TablePoller poller(*table_, doors, PollerOptions{}, {});
    ASSERT_TRUE(poller.load_now());
    auto writer = second_instance();
    ASSERT_EQ(
        writer
            ->commit(change_to(load_or_fail(*writer), R"({"tenants": {"acme": {"stage": "new"}}})"))
            .status,
        CommitStatus::committed);
    ASSERT_TRUE(writer->client().delete_item(
        dynamo::DeleteItemRequest{.table = table_name_, .key = log_key(1)}));
    ASSERT_TRUE(poller.sync_now());
    EXPECT_EQ(published.stage("acme"), Stage::new_);
    EXPECT_EQ(poller.status().loads, 2u);
}

TEST_F(PollerTest, FlagChangesAreReportedWithWhatCameBefore) {
    Published published;
    LiveDoors doors(published.sink());
    std::vector<std::pair<bool, std::size_t>> reports;  // (had a before, tenants after)
    TablePoller::Hooks hooks;
    hooks.on_flags_changed = [&](const flags::FlagSnapshot* before,
                                 const flags::FlagSnapshot& after, const flags::DoorSet&,
                                 std::int64_t) {
        reports.emplace_back(before != nullptr, after.tenant_count());
    };
    TablePoller poller(*table_, doors, PollerOptions{}, hooks);
    ASSERT_TRUE(poller.load_now());
    ASSERT_EQ(
        table_->commit(change_to(load_or_fail(*table_), R"({"tenants": {"a": {"stage": "new"}}})"))
            .status,
        CommitStatus::committed);
    ASSERT_TRUE(poller.sync_now());
    ASSERT_TRUE(table_->close_doors({{"a", 1, "r", "", "", ""}}, 5s));
    ASSERT_TRUE(poller.sync_now());  // doors only: no flag report
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[0], std::make_pair(false, std::size_t{0}));
    EXPECT_EQ(reports[1], std::make_pair(true, std::size_t{1}));
}

using DoorWriterTest = FlagTableTest;

TEST_F(DoorWriterTest, ConcurrentFirstWritesOfATenantShareOneClosing) {
    Published published;
    LiveDoors doors(published.sink());
    DoorWriter writer(*table_, doors, 5s);
    constexpr int kWrites = 16;
    std::atomic<int> answered{0}, failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kWrites; ++i) {
        threads.emplace_back([&, i] {
            writer.close_before_forwarding({"acme", 1, "req-" + std::to_string(i), "", "POST", "/"},
                                           [&](const Error* error) {
                                               if (error) ++failed;
                                               ++answered;
                                           });
        });
    }
    for (auto& thread : threads) thread.join();
    ASSERT_TRUE(wait_until([&] { return answered == kWrites; }, 10s));
    EXPECT_EQ(failed, 0);
    EXPECT_TRUE(published.closed("acme"));
    const auto loaded = load_or_fail(*table_);
    ASSERT_EQ(loaded.doors.size(), 1u);
    EXPECT_EQ(loaded.doors[0].instance, "proxy-1");
    EXPECT_LE(loaded.seq, 2);  // one write, or two if the first batch missed some waiters' tenant
}

TEST_F(DoorWriterTest, ADoorClosedByAnotherInstanceAnswersAtOnceAfterOneRead) {
    ASSERT_TRUE(
        second_instance()->close_doors({{"acme", 1, "theirs", "proxy-2", "POST", "/"}}, 5s));
    Published published;
    LiveDoors doors(published.sink());
    DoorWriter writer(*table_, doors, 5s);
    std::atomic<bool> ok{false}, answered{false};
    writer.close_before_forwarding({"acme", 2, "mine", "", "POST", "/"}, [&](const Error* error) {
        ok = error == nullptr;
        answered = true;
    });
    ASSERT_TRUE(wait_until([&] { return answered.load(); }, 10s));
    EXPECT_TRUE(ok);
    EXPECT_TRUE(published.closed("acme"));
    std::lock_guard lock(published.mutex);
    EXPECT_EQ(published.doors->find("acme")->request_id, "theirs");
}

}  // namespace
}  // namespace switchyard::flag_table::test
