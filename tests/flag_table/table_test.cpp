// The flag table's operations against dynalite: conditional commits, doors that close once,
// catching up from the log, the audit.
#include <thread>

#include "flag_table/layout.hpp"
#include "table_fixture.hpp"

namespace switchyard::flag_table::test {
namespace {

namespace av = dynamo::av;
using TableTest = FlagTableTest;

std::optional<Stage> stage_of(const Loaded& loaded, std::string_view tenant) {
    const auto flag = loaded.flags->find(tenant);
    return flag ? std::optional<Stage>(flag->stage) : std::nullopt;
}

const flags::DoorClosing* door_of(const Loaded& loaded, std::string_view tenant) {
    for (const auto& door : loaded.doors) {
        if (door.tenant == tenant) return &door;
    }
    return nullptr;
}

flags::DoorClosing closing(const std::string& tenant, const std::string& request_id) {
    return {tenant, 1764000000000, request_id, "", "POST", "/orders"};
}

TEST_F(TableTest, InitTableIsIdempotentAndStartsEmpty) {
    const auto again = table_->init_table(10s);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_FALSE(again->table_created);
    EXPECT_FALSE(again->marker_created);
    EXPECT_EQ(again->seq, 0);
    const auto loaded = load_or_fail(*table_);
    EXPECT_EQ(loaded.seq, 0);
    EXPECT_EQ(loaded.flags->tenant_count(), 0u);
    EXPECT_EQ(loaded.flags->default_stage(), Stage::legacy);
    EXPECT_TRUE(loaded.doors.empty());
}

TEST_F(TableTest, ACommittedChangeLoadsBack) {
    const auto base = load_or_fail(*table_);
    const auto committed = table_->commit(change_to(base, R"({"default_stage": "shadow",
        "rollout": {"stage": "new", "percent": 12.5, "salt": "w1"},
        "tenants": {"acme": {"stage": "new", "note": "moved"}, "globex": {"stage": "reads"}}})"));
    ASSERT_EQ(committed.status, CommitStatus::committed) << committed.message;
    EXPECT_EQ(committed.seq, 1);

    const auto loaded = load_or_fail(*second_instance());
    EXPECT_EQ(loaded.seq, 1);
    EXPECT_EQ(loaded.flags->default_stage(), Stage::shadow);
    EXPECT_EQ(loaded.flags->rollout().percent_hundredths(), 1250u);
    EXPECT_EQ(loaded.flags->rollout().salt(), "w1");
    EXPECT_EQ(stage_of(loaded, "acme"), Stage::new_);
    EXPECT_EQ(loaded.flags->find("acme")->note, "moved");
    EXPECT_EQ(stage_of(loaded, "globex"), Stage::reads);
    EXPECT_EQ(loaded.report.entries, 2u);

    // Unpinning removes the item; the next change starts from what is there now.
    const auto unpinned = table_->commit(change_to(loaded, R"({"default_stage": "shadow",
        "rollout": {"stage": "new", "percent": 12.5, "salt": "w1"},
        "tenants": {"acme": {"stage": "new", "note": "moved"}}})"));
    ASSERT_EQ(unpinned.status, CommitStatus::committed) << unpinned.message;
    EXPECT_FALSE(stage_of(load_or_fail(*table_), "globex"));
}

TEST_F(TableTest, AChangeDecidedOnAStaleEntryWritesNothing) {
    const auto base = load_or_fail(*table_);
    ASSERT_EQ(
        table_->commit(change_to(base, R"({"tenants": {"acme": {"stage": "reads"}}})")).status,
        CommitStatus::committed);
    // Decided on `base`, where acme had no entry: the table has one now.
    const auto stale = second_instance()->commit(
        change_to(base, R"({"tenants": {"acme": {"stage": "new"}, "globex": {"stage": "new"}}})"));
    EXPECT_EQ(stale.status, CommitStatus::base_changed) << stale.message;
    EXPECT_EQ(stale.changed_tenants, (std::vector<std::string>{"acme"}));
    EXPECT_NE(stale.message.find("tenant acme"), std::string::npos) << stale.message;

    const auto now = load_or_fail(*table_);
    EXPECT_EQ(now.seq, 1);
    EXPECT_EQ(stage_of(now, "acme"), Stage::reads);
    EXPECT_FALSE(stage_of(now, "globex"));  // all or nothing
}

TEST_F(TableTest, VersionsGoOnCountingThroughAnUnpinAndRefuseAChangeAndItsUndo) {
    const std::string pinned = R"({"tenants": {"acme": {"stage": "reads"}}})";
    ASSERT_EQ(table_->commit(change_to(load_or_fail(*table_), pinned)).status,
              CommitStatus::committed);
    const auto first = load_or_fail(*table_);
    EXPECT_EQ(first.versions.of("acme", true), 1);
    ASSERT_EQ(table_->commit(change_to(first, R"({"tenants": {}})")).status,
              CommitStatus::committed);
    const auto unpinned = load_or_fail(*table_);
    EXPECT_FALSE(stage_of(unpinned, "acme"));
    EXPECT_EQ(unpinned.versions.of("acme", false), 2);  // a tombstone keeps counting
    ASSERT_EQ(table_->commit(change_to(unpinned, pinned)).status, CommitStatus::committed);
    const auto again = load_or_fail(*table_);
    EXPECT_EQ(again.versions.of("acme", true), 3);
    EXPECT_EQ(again.report.entries, 1u);

    // Decided on version 1: the content is the same again, the version is not.
    auto stale = change_to(first, R"({"tenants": {"acme": {"stage": "new"}}})");
    stale.tenants[0].expected_version = 1;
    const auto refused = table_->commit(stale);
    EXPECT_EQ(refused.status, CommitStatus::base_changed) << refused.message;
    auto current = change_to(again, R"({"tenants": {"acme": {"stage": "new"}}})");
    current.tenants[0].expected_version = 3;
    current.expected_config_version = again.config_version;
    EXPECT_EQ(table_->commit(current).status, CommitStatus::committed);
}

TEST_F(TableTest, AStaleRolloutIsRefusedToo) {
    const auto base = load_or_fail(*table_);
    ASSERT_EQ(
        table_->commit(change_to(base, R"({"rollout": {"stage": "new", "percent": 5}})")).status,
        CommitStatus::committed);
    const auto stale =
        table_->commit(change_to(base, R"({"tenants": {"acme": {"stage": "new"}}})"));
    EXPECT_EQ(stale.status, CommitStatus::base_changed);
    EXPECT_TRUE(stale.config_changed);
}

TEST_F(TableTest, TwoWritersOnTheSameBaseExactlyOneWins) {
    auto other = second_instance();
    for (int round = 0; round < 5; ++round) {
        const auto base = load_or_fail(*table_);
        const std::string stage_a = round % 2 ? "reads" : "new";
        const std::string stage_b = round % 2 ? "shadow" : "final";
        const auto change_a =
            change_to(base, R"({"tenants": {"acme": {"stage": ")" + stage_a + R"("}}})");
        const auto change_b =
            change_to(base, R"({"tenants": {"acme": {"stage": ")" + stage_b + R"("}}})");
        CommitResult a, b;
        std::thread first([&] { a = table_->commit(change_a); });
        std::thread second([&] { b = other->commit(change_b); });
        first.join();
        second.join();
        const int won =
            (a.status == CommitStatus::committed) + (b.status == CommitStatus::committed);
        ASSERT_EQ(won, 1) << "round " << round << ": " << a.message << " / " << b.message;
        const auto& loser = a.status == CommitStatus::committed ? b : a;
        EXPECT_EQ(loser.status, CommitStatus::base_changed) << loser.message;
        const auto winner_stage = a.status == CommitStatus::committed ? stage_a : stage_b;
        EXPECT_EQ(stage_of(load_or_fail(*table_), "acme"), parse_stage(winner_stage));
        if (winner_stage == "final") break;  // nothing moves it back
    }
}

TEST_F(TableTest, WritersOfDifferentTenantsBothWinInTurn) {
    // Not a conflict: both commit, one after the other on the marker.
    auto other = second_instance();
    const auto base = load_or_fail(*table_);
    CommitResult a, b;
    std::thread first(
        [&] { a = table_->commit(change_to(base, R"({"tenants": {"acme": {"stage": "new"}}})")); });
    std::thread second([&] {
        b = other->commit(change_to(base, R"({"tenants": {"globex": {"stage": "new"}}})"));
    });
    first.join();
    second.join();
    ASSERT_EQ(a.status, CommitStatus::committed) << a.message;
    ASSERT_EQ(b.status, CommitStatus::committed) << b.message;
    EXPECT_NE(a.seq, b.seq);
    const auto loaded = load_or_fail(*table_);
    EXPECT_EQ(loaded.seq, 2);
    EXPECT_EQ(stage_of(loaded, "acme"), Stage::new_);
    EXPECT_EQ(stage_of(loaded, "globex"), Stage::new_);
}

TEST_F(TableTest, ADoorClosesOnce) {
    auto other = second_instance();
    const auto first = table_->close_doors({closing("acme", "req-1")}, 5s);
    ASSERT_TRUE(first) << first.error().message;
    ASSERT_EQ(first->closed.size(), 1u);
    EXPECT_EQ(first->seq, 1);
    const auto second =
        other->close_doors({closing("acme", "req-2"), closing("globex", "req-3")}, 5s);
    ASSERT_TRUE(second) << second.error().message;
    ASSERT_EQ(second->already_closed.size(), 1u);
    EXPECT_EQ(second->already_closed[0].request_id, "req-1");
    EXPECT_EQ(second->already_closed[0].instance, "proxy-1");
    ASSERT_EQ(second->closed.size(), 1u);
    EXPECT_EQ(second->closed[0].tenant, "globex");

    const auto loaded = load_or_fail(*table_);
    ASSERT_TRUE(door_of(loaded, "acme"));
    EXPECT_EQ(door_of(loaded, "acme")->request_id, "req-1");
    EXPECT_EQ(door_of(loaded, "globex")->instance, "proxy-2");
    EXPECT_EQ(loaded.seq, 2);
}

TEST_F(TableTest, DoorsClosedFromTwoInstancesAtOnceCloseEachOnce) {
    auto other = second_instance();
    std::vector<flags::DoorClosing> mine, theirs;
    for (int i = 0; i < 40; ++i) {
        mine.push_back(closing("t" + std::to_string(i), "a" + std::to_string(i)));
        theirs.push_back(closing("t" + std::to_string(i), "b" + std::to_string(i)));
    }
    StoreResult<DoorsWritten> a = StoreError{}, b = StoreError{};
    std::thread first([&] { a = table_->close_doors(mine, 10s); });
    std::thread second([&] { b = other->close_doors(theirs, 10s); });
    first.join();
    second.join();
    ASSERT_TRUE(a) << a.error().message;
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_EQ(a->closed.size() + b->closed.size(), 40u);
    EXPECT_EQ(a->already_closed.size() + b->already_closed.size(), 40u);
    const auto loaded = load_or_fail(*table_);
    EXPECT_EQ(loaded.doors.size(), 40u);
    // Whoever lost a door learned the winner's closing.
    for (const auto& door : b->already_closed) EXPECT_EQ(door.request_id[0], 'a');
    for (const auto& door : a->already_closed) EXPECT_EQ(door.request_id[0], 'b');
}

TEST_F(TableTest, ADoorClosedAfterTheDecisionRefusesTheRollback) {
    const auto committed = table_->commit(
        change_to(load_or_fail(*table_), R"({"tenants": {"acme": {"stage": "new"}}})"));
    ASSERT_EQ(committed.status, CommitStatus::committed);
    const auto base = load_or_fail(*table_);  // door open
    ASSERT_TRUE(second_instance()->close_doors({closing("acme", "req-9")}, 5s));
    const auto rollback =
        table_->commit(change_to(base, R"({"tenants": {"acme": {"stage": "reads"}}})"));
    EXPECT_EQ(rollback.status, CommitStatus::base_changed) << rollback.message;
    EXPECT_EQ(rollback.changed_tenants, (std::vector<std::string>{"acme"}));
    EXPECT_EQ(stage_of(load_or_fail(*table_), "acme"), Stage::new_);
}

TEST_F(TableTest, AForcedMoveReopensTheDoorAndIsLogged) {
    ASSERT_EQ(
        table_
            ->commit(change_to(load_or_fail(*table_), R"({"tenants": {"acme": {"stage": "new"}}})"))
            .status,
        CommitStatus::committed);
    ASSERT_TRUE(table_->close_doors({closing("acme", "req-1")}, 5s));
    const auto base = load_or_fail(*table_);
    ASSERT_TRUE(door_of(base, "acme"));
    auto watcher = second_instance();
    const auto forced =
        table_->commit(change_to(base, R"({"tenants": {"acme": {"stage": "legacy"}}})", {"acme"}));
    ASSERT_EQ(forced.status, CommitStatus::committed) << forced.message;

    const auto changes = watcher->changes_since(base.seq);
    ASSERT_TRUE(changes) << changes.error().message;
    ASSERT_FALSE(changes->reload) << changes->why;
    EXPECT_EQ(changes->delta.doors_reopened, (std::vector<std::string>{"acme"}));
    ASSERT_EQ(changes->delta.entries.size(), 1u);
    EXPECT_EQ(changes->delta.entries[0].entry->stage, Stage::legacy);
    EXPECT_EQ(changes->delta.entries[0].version, 2);
    const auto after = load_or_fail(*table_);
    EXPECT_FALSE(door_of(after, "acme"));
    EXPECT_EQ(stage_of(after, "acme"), Stage::legacy);
}

TEST_F(TableTest, ChangesSinceNamesAnotherWritersEntriesDoorsAndConfig) {
    auto writer = second_instance();
    const auto base = load_or_fail(*table_);
    const auto unchanged = table_->changes_since(base.seq);
    ASSERT_TRUE(unchanged);
    EXPECT_TRUE(unchanged->delta.empty());

    ASSERT_EQ(writer
                  ->commit(change_to(base, R"({"rollout": {"stage": "new", "percent": 5},
        "tenants": {"acme": {"stage": "new"}, "globex": {"stage": "reads"}}})"))
                  .status,
              CommitStatus::committed);
    ASSERT_TRUE(writer->close_doors({closing("acme", "req-1")}, 5s));
    const auto changes = table_->changes_since(base.seq);
    ASSERT_TRUE(changes) << changes.error().message;
    ASSERT_FALSE(changes->reload) << changes->why;
    const auto& delta = changes->delta;
    EXPECT_EQ(delta.seq, 2);
    EXPECT_EQ(delta.entries.size(), 2u);
    ASSERT_TRUE(delta.config);
    EXPECT_EQ(delta.config->rollout_percent_hundredths, 500u);
    ASSERT_EQ(delta.doors_closed.size(), 1u);
    EXPECT_EQ(delta.doors_closed[0].instance, "proxy-2");
}

TEST_F(TableTest, AGapInTheLogAsksForAFullLoad) {
    const auto base = load_or_fail(*table_);
    ASSERT_EQ(table_->commit(change_to(base, R"({"tenants": {"acme": {"stage": "new"}}})")).status,
              CommitStatus::committed);
    ASSERT_TRUE(table_->close_doors({closing("acme", "req-1")}, 5s));
    // As if the first log item had expired (TTL).
    ASSERT_TRUE(table_->client().delete_item(
        dynamo::DeleteItemRequest{.table = table_name_, .key = log_key(1)}));
    const auto changes = table_->changes_since(base.seq);
    ASSERT_TRUE(changes) << changes.error().message;
    EXPECT_TRUE(changes->reload);
    EXPECT_NE(changes->why.find("change 1 is no longer in the log"), std::string::npos)
        << changes->why;
    // From seq 1 on, the log is whole.
    const auto from_one = table_->changes_since(1);
    ASSERT_TRUE(from_one);
    EXPECT_FALSE(from_one->reload);
    EXPECT_EQ(from_one->delta.doors_closed.size(), 1u);
}

TEST_F(TableTest, AnItemEditedBadlyByHandIsReportedNotLoaded) {
    auto item = encode_entry("acme", {Stage::new_, ""}, 1, 0);
    item["stage"] = av::s("nwe");
    ASSERT_TRUE(
        table_->client().put_item(dynamo::PutItemRequest{.table = table_name_, .item = item}));
    const auto loaded = table_->load();
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().kind, StoreErrorKind::invalid_item);
    EXPECT_NE(loaded.error().message.find("tenant#acme: stage \"nwe\" is not a stage"),
              std::string::npos)
        << loaded.error().message;
}

TEST_F(TableTest, AChangeTooBigForOneTransactionIsRefused) {
    std::string tenants;
    for (int i = 0; i < 120; ++i) {
        tenants +=
            (i ? "," : "") + std::string("\"t") + std::to_string(i) + R"(": {"stage": "new"})";
    }
    const auto refused =
        table_->commit(change_to(load_or_fail(*table_), R"({"tenants": {)" + tenants + "}}"));
    EXPECT_EQ(refused.status, CommitStatus::refused);
    EXPECT_NE(refused.message.find("split it"), std::string::npos) << refused.message;
    EXPECT_EQ(load_or_fail(*table_).seq, 0);
}

TEST_F(TableTest, TheAuditIsNewestFirstAndFiltersByTenant) {
    auto base = load_or_fail(*table_);
    ASSERT_EQ(
        table_
            ->commit(change_to(
                base, R"({"tenants": {"acme": {"stage": "reads"}, "globex": {"stage": "reads"}}})"))
            .status,
        CommitStatus::committed);
    base = load_or_fail(*table_);
    ASSERT_EQ(
        table_
            ->commit(change_to(
                base, R"({"tenants": {"acme": {"stage": "new"}, "globex": {"stage": "reads"}}})"))
            .status,
        CommitStatus::committed);
    const auto all = table_->read_audit({10, ""});
    ASSERT_TRUE(all) << all.error().message;
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0]["tenant"], "acme");    // the second change
    EXPECT_EQ((*all)[1]["tenant"], "globex");  // the first change, its last entry first
    EXPECT_EQ((*all)[2]["tenant"], "acme");
    const auto acme = table_->read_audit({10, "acme"});
    ASSERT_TRUE(acme);
    EXPECT_EQ(acme->size(), 2u);
    const auto one = table_->read_audit({1, ""});
    ASSERT_TRUE(one);
    EXPECT_EQ(one->size(), 1u);
}

}  // namespace
}  // namespace switchyard::flag_table::test
