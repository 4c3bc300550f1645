#include "flag_table/snapshot_delta.hpp"

#include <gtest/gtest.h>

namespace switchyard::flag_table {
namespace {

TEST(SnapshotDeltaTest, ADeltaMakesANewSnapshotAndLeavesTheOldOne) {
    const auto old = build_snapshot(ConfigValue{Stage::legacy, Stage::new_, 500, "s"},
                                    {{"acme", flags::EditableEntry{Stage::new_, "n"}, 1, 1},
                                     {"globex", flags::EditableEntry{Stage::reads, ""}, 1, 1},
                                     {"initech", flags::EditableEntry{Stage::shadow, ""}, 1, 1},
                                     {"gone", std::nullopt, 2, 1}});
    Delta delta;
    delta.seq = 5;
    delta.entries = {{"acme", flags::EditableEntry{Stage::final_, ""}, 2},
                     {"globex", std::nullopt, 2},
                     {"hooli", flags::EditableEntry{Stage::reads, "new one"}, 1}};
    delta.config = ConfigValue{Stage::shadow, Stage::new_, 1000, "s"};
    const auto next = apply_delta(*old, delta);

    EXPECT_EQ(old->tenant_count(), 3u);  // the tombstone is no entry
    EXPECT_EQ(next->tenant_count(), 3u);
    EXPECT_EQ(next->find("acme")->stage, Stage::final_);
    EXPECT_EQ(next->find("acme")->note, "");
    EXPECT_FALSE(next->find("globex"));
    EXPECT_EQ(next->find("initech")->stage, Stage::shadow);
    EXPECT_EQ(next->find("hooli")->note, "new one");
    EXPECT_EQ(next->default_stage(), Stage::shadow);
    EXPECT_EQ(next->rollout().percent_hundredths(), 1000u);

    EXPECT_EQ(old->find("acme")->stage, Stage::new_);
    EXPECT_EQ(old->find("globex")->stage, Stage::reads);
    EXPECT_EQ(old->rollout().percent_hundredths(), 500u);
}

TEST(SnapshotDeltaTest, VersionsAreKeptOnlyWhereTheSnapshotCannotTell) {
    Versions versions;
    EXPECT_EQ(versions.of("pinned-once", true), 1);
    EXPECT_EQ(versions.of("never", false), 0);
    Delta delta;
    delta.entries = {{"moved", flags::EditableEntry{Stage::new_, ""}, 3},
                     {"unpinned", std::nullopt, 2},
                     {"imported", flags::EditableEntry{Stage::reads, ""}, 1}};
    apply_versions(versions, delta);
    EXPECT_EQ(versions.of("moved", true), 3);
    EXPECT_EQ(versions.of("unpinned", false), 2);
    EXPECT_EQ(versions.of("imported", true), 1);
    EXPECT_EQ(versions.size(), 2u);
}

TEST(SnapshotDeltaTest, ADeltaWithoutConfigKeepsTheRollout) {
    const auto old = build_snapshot(ConfigValue{Stage::reads, Stage::new_, 2500, "w"}, {});
    Delta delta;
    delta.entries = {{"acme", flags::EditableEntry{Stage::new_, ""}, 1}};
    const auto next = apply_delta(*old, delta);
    EXPECT_EQ(ConfigValue::of(*next), ConfigValue::of(*old));
}

}  // namespace
}  // namespace switchyard::flag_table
