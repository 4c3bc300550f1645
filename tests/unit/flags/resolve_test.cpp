#include "flags/resolve.hpp"

#include <gtest/gtest.h>

#include "flags/flag_document.hpp"
#include "flags/rollout.hpp"

namespace switchyard::flags {
namespace {

std::shared_ptr<const FlagSnapshot> flags_from(std::string_view text) {
    auto parsed = parse_flag_document(text);
    EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
    return parsed.ok() ? *parsed : std::make_shared<const FlagSnapshot>();
}

// acme's bucket under "wave-1" is 8212, globex's 8206, initech's 4575 (rollout_test pins them).
TEST(Resolve, OwnEntryWinsOverCohortAndDefault) {
    const auto flags = flags_from(R"({"default_stage": "shadow",
        "rollout": {"stage": "new", "percent": 100, "salt": "wave-1"},
        "tenants": {"acme": {"stage": "legacy"}}})");
    const auto resolution = resolve(*flags, "acme");
    EXPECT_EQ(resolution.stage, Stage::legacy);
    EXPECT_EQ(resolution.why, Why::pinned);
}

TEST(Resolve, CohortBeforeDefault) {
    const auto flags = flags_from(R"({"default_stage": "shadow",
        "rollout": {"stage": "reads", "percent": 50, "salt": "wave-1"}})");
    const auto inside = resolve(*flags, "initech");  // bucket 4575 < 5000
    EXPECT_EQ(inside.stage, Stage::reads);
    EXPECT_EQ(inside.why, Why::cohort);
    const auto outside = resolve(*flags, "acme");  // bucket 8212
    EXPECT_EQ(outside.stage, Stage::shadow);
    EXPECT_EQ(outside.why, Why::default_stage);
}

TEST(Resolve, CohortBoundaryIsExclusive) {
    const auto at =
        flags_from(R"({"rollout": {"stage": "new", "percent": 82.12, "salt": "wave-1"}})");
    EXPECT_EQ(resolve(*at, "acme").why, Why::default_stage);
    const auto above =
        flags_from(R"({"rollout": {"stage": "new", "percent": 82.13, "salt": "wave-1"}})");
    EXPECT_EQ(resolve(*above, "acme").why, Why::cohort);
    EXPECT_EQ(resolve(*above, "acme").stage, Stage::new_);
}

TEST(Resolve, EmptyDocumentSendsEveryoneToLegacyByDefault) {
    const FlagSnapshot empty;
    const auto resolution = resolve(empty, "acme");
    EXPECT_EQ(resolution.stage, Stage::legacy);
    EXPECT_EQ(resolution.why, Why::default_stage);
}

TEST(Resolve, WhyNamesAreTheOnesOperatorsSee) {
    EXPECT_EQ(to_string(Why::pinned), "pinned");
    EXPECT_EQ(to_string(Why::cohort), "cohort");
    EXPECT_EQ(to_string(Why::default_stage), "default");
}

}  // namespace
}  // namespace switchyard::flags
