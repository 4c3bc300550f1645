// The conditions a change carries: the door's only where the one-way door's rule relied on it.
#include <gtest/gtest.h>

#include "flag_table/change_set.hpp"
#include "flags/flag_document.hpp"

namespace switchyard::flag_table {
namespace {

std::shared_ptr<const flags::FlagSnapshot> parse(const std::string& text) {
    auto parsed = flags::parse_flag_document(text);
    EXPECT_TRUE(parsed) << parsed.error().message;
    return parsed.value();
}

const TenantWrite& write_of(const ChangeSet& change, const std::string& tenant) {
    for (const auto& write : change.tenants) {
        if (write.tenant == tenant) return write;
    }
    throw std::runtime_error("no write for " + tenant);
}

TEST(ChangePlanTest, DoorConditionsOnlyWhereTheDoorRuleReliesOnThem) {
    const auto before = parse(R"({"tenants": {"open-back": {"stage": "new"},
        "closed-forced": {"stage": "new"}, "forward": {"stage": "reads"},
        "closed-forward": {"stage": "new", "note": "x"}}})");
    const auto after = parse(R"({"tenants": {"open-back": {"stage": "reads"},
        "closed-forced": {"stage": "legacy"}, "forward": {"stage": "new"},
        "closed-forward": {"stage": "final"}}})");
    const auto doors = std::make_shared<const flags::DoorSet>()->with(
        {{"closed-forced", 1, "r1", "", "", ""}, {"closed-forward", 1, "r2", "", "", ""}});
    const auto tenants = changed_tenants(*before, *after);
    EXPECT_EQ(tenants, (std::vector<std::string>{"closed-forced", "closed-forward", "forward",
                                                 "open-back"}));
    const auto change = plan_change(*before, *after, *doors, tenants, {"closed-forced"});
    EXPECT_EQ(write_of(change, "open-back").door, DoorCondition::must_be_open);
    EXPECT_EQ(write_of(change, "closed-forced").door, DoorCondition::reopen);
    EXPECT_EQ(write_of(change, "forward").door, DoorCondition::none);
    EXPECT_EQ(write_of(change, "closed-forward").door, DoorCondition::none);
    EXPECT_EQ(write_of(change, "closed-forward").expected,
              (flags::EditableEntry{Stage::new_, "x"}));
    EXPECT_EQ(write_of(change, "closed-forward").entry, (flags::EditableEntry{Stage::final_, ""}));
    EXPECT_FALSE(change.config);
    // 4 entries, 2 door items, config, marker, log (no audit given).
    EXPECT_EQ(change.transaction_items(), 4u + 2u + 3u);
}

TEST(ChangePlanTest, UnpinningBelowNewReliesOnTheDoor) {
    const auto before = parse(R"({"tenants": {"acme": {"stage": "new"}}})");
    const auto after = parse(R"({"tenants": {}})");
    const auto change = plan_change(*before, *after, flags::DoorSet{}, {"acme"}, {});
    ASSERT_EQ(change.tenants.size(), 1u);
    EXPECT_FALSE(change.tenants[0].entry);
    EXPECT_EQ(change.tenants[0].door, DoorCondition::must_be_open);
}

TEST(ChangePlanTest, TheConfigIsWrittenOnlyWhenItDiffers) {
    const auto before = parse(R"({"rollout": {"stage": "new", "percent": 5, "salt": "s"}})");
    const auto same = plan_change(*before, *before, flags::DoorSet{}, {}, {});
    EXPECT_FALSE(same.config);
    EXPECT_EQ(same.expected_config.rollout_percent_hundredths, 500u);
    const auto after = parse(R"({"rollout": {"stage": "new", "percent": 10, "salt": "s"}})");
    const auto raised = plan_change(*before, *after, flags::DoorSet{}, {}, {});
    ASSERT_TRUE(raised.config);
    EXPECT_EQ(raised.config->rollout_percent_hundredths, 1000u);
}

}  // namespace
}  // namespace switchyard::flag_table
