#include "flags/door_rule.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "flags/flag_document.hpp"
#include "flags/reload_pacer.hpp"
#include "still_clock.hpp"

namespace switchyard::flags {
namespace {

std::shared_ptr<const FlagSnapshot> doc(const char* text) {
    auto parsed = parse_flag_document(text);
    EXPECT_TRUE(parsed) << parsed.error().message;
    return parsed.value();
}

std::shared_ptr<const DoorSet> closed(std::initializer_list<const char*> tenants) {
    std::vector<DoorClosing> closings;
    for (auto t : tenants)
        closings.push_back({t, 1763892902000, "req-42", "proxy-1", "POST", "/orders"});
    return std::make_shared<const DoorSet>()->with(closings);
}

ForceReasons forcing(std::map<std::string, std::string> reasons) {
    return [reasons = std::move(reasons)](std::string_view tenant) -> std::string_view {
        auto it = reasons.find(std::string(tenant));
        return it == reasons.end() ? std::string_view{} : std::string_view(it->second);
    };
}

TEST(DoorRule, ClosedDoorRefusesExplicitRollback) {
    const auto before = doc(R"({"tenants": {"acme": {"stage": "new"}}})");
    const auto after = doc(R"({"tenants": {"acme": {"stage": "reads"}}})");
    const auto report = check_transition(before.get(), *after, *closed({"acme"}), nullptr);
    ASSERT_EQ(report.refused.size(), 1u);
    const auto& message = report.refused[0];
    EXPECT_NE(message.find("tenants.acme"), std::string::npos) << message;
    EXPECT_NE(message.find("2025-11-23T10:15:02Z"), std::string::npos) << message;
    EXPECT_NE(message.find("req-42"), std::string::npos) << message;
    EXPECT_NE(message.find("forced move"), std::string::npos) << message;
}

TEST(DoorRule, OpenDoorMayRollBack) {
    const auto before = doc(R"({"tenants": {"acme": {"stage": "new"}}})");
    const auto after = doc(R"({"tenants": {"acme": {"stage": "legacy"}}})");
    EXPECT_TRUE(check_transition(before.get(), *after, *closed({"globex"}), nullptr).accepted());
}

TEST(DoorRule, RemovingTheEntryOfAClosedDoorTenantIsRefusedWhenItWouldFallBack) {
    const auto before = doc(R"({"tenants": {"acme": {"stage": "new"}}})");
    const auto to_legacy = doc(R"({"tenants": {}})");
    EXPECT_FALSE(check_transition(before.get(), *to_legacy, *closed({"acme"}), nullptr).accepted());
    // Falling back onto a cohort that is itself on new loses nothing.
    const auto to_cohort = doc(R"({"rollout": {"stage": "new", "percent": 100}, "tenants": {}})");
    EXPECT_TRUE(check_transition(before.get(), *to_cohort, *closed({"acme"}), nullptr).accepted());
}

TEST(DoorRule, ForceWithAReasonIsAcceptedAndReportedForTheJournal) {
    const auto before = doc(R"({"tenants": {"acme": {"stage": "new"}}})");
    const auto after = doc(R"({"tenants": {"acme": {"stage": "legacy"}}})");
    const auto report = check_transition(before.get(), *after, *closed({"acme"}),
                                         forcing({{"acme", "restored from backup"}}));
    EXPECT_TRUE(report.accepted());
    ASSERT_EQ(report.forced.size(), 1u);
    EXPECT_EQ(report.forced[0].tenant, "acme");
    EXPECT_EQ(report.forced[0].from, "new");
    EXPECT_EQ(report.forced[0].to, "legacy");
    EXPECT_EQ(report.forced[0].reason, "restored from backup");
}

TEST(DoorRule, ImplicitRollbackHoldsClosedDoorTenantsAndReportsThem) {
    const auto before = doc(R"({"rollout": {"stage": "new", "percent": 100}})");
    const auto after = doc(R"({"rollout": {"stage": "new", "percent": 0}})");
    const auto report = check_transition(before.get(), *after, *closed({"acme"}), nullptr);
    EXPECT_TRUE(report.accepted());
    ASSERT_EQ(report.held.size(), 1u);
    EXPECT_EQ(report.held[0], "acme");
}

TEST(DoorRule, FinalNeverGoesBackEvenForced) {
    const auto before = doc(R"({"tenants": {"acme": {"stage": "final"}}})");
    const auto after = doc(R"({"tenants": {"acme": {"stage": "new"}}})");
    const auto report =
        check_transition(before.get(), *after, DoorSet{}, forcing({{"acme", "please"}}));
    ASSERT_FALSE(report.accepted());
    EXPECT_NE(report.refused[0].find("final"), std::string::npos);
    const auto removed = doc(R"({"tenants": {}})");
    EXPECT_FALSE(check_transition(before.get(), *removed, DoorSet{}, nullptr).accepted());
}

TEST(DoorRule, FinalRolloutAndDefaultCannotShrink) {
    const auto before =
        doc(R"({"default_stage": "final", "rollout": {"stage": "final", "percent": 50}})");
    EXPECT_FALSE(
        check_transition(
            before.get(),
            *doc(R"({"default_stage": "final", "rollout": {"stage": "final", "percent": 40}})"),
            DoorSet{}, nullptr)
            .accepted());
    EXPECT_FALSE(
        check_transition(
            before.get(),
            *doc(R"({"default_stage": "new", "rollout": {"stage": "final", "percent": 50}})"),
            DoorSet{}, nullptr)
            .accepted());
    EXPECT_TRUE(
        check_transition(
            before.get(),
            *doc(R"({"default_stage": "final", "rollout": {"stage": "final", "percent": 60}})"),
            DoorSet{}, nullptr)
            .accepted());
}

TEST(DoorRule, ANewEntryCannotTakeBackATenantFinalByCohortOrDefault) {
    const auto by_default = doc(R"({"default_stage": "final"})");
    const auto entry_new =
        doc(R"({"default_stage": "final", "tenants": {"acme": {"stage": "new"}}})");
    const auto refused = check_transition(by_default.get(), *entry_new, DoorSet{}, nullptr);
    ASSERT_FALSE(refused.accepted());
    EXPECT_EQ(refused.refused[0],
              "tenants.acme: is final (by default_stage) and cannot be moved to new: legacy no "
              "longer has its data (not even with force)");

    const auto by_cohort = doc(R"({"rollout": {"stage": "final", "percent": 100}})");
    const auto cohort_entry = doc(
        R"({"rollout": {"stage": "final", "percent": 100}, "tenants": {"acme": {"stage": "reads"}}})");
    const auto cohort = check_transition(by_cohort.get(), *cohort_entry, DoorSet{}, nullptr);
    ASSERT_FALSE(cohort.accepted());
    EXPECT_NE(cohort.refused[0].find("tenants.acme: is final (by the rollout)"), std::string::npos)
        << cohort.refused[0];

    // Nobody is final without an entry: new entries at any stage are fine.
    const auto none_final = doc(R"({"rollout": {"stage": "final", "percent": 0}})");
    EXPECT_TRUE(check_transition(none_final.get(), *cohort_entry, DoorSet{}, nullptr).accepted());
}

TEST(DoorRule, ForceInTheDocumentIsReadPerTenant) {
    const auto before = doc(R"({"tenants": {"acme": {"stage": "new"}}})");
    const auto after = doc(R"({"tenants": {"acme": {"stage": "legacy"}},
                                "force": {"acme": "restored from backup, OPS-9"}})");
    EXPECT_EQ(after->force_reason("acme"), "restored from backup, OPS-9");
    EXPECT_EQ(after->force_reason("globex"), "");
    const auto report =
        check_transition(before.get(), *after, *closed({"acme"}),
                         [&](std::string_view t) { return after->force_reason(t); });
    EXPECT_TRUE(report.accepted());
    EXPECT_EQ(report.forced.size(), 1u);
}

TEST(DoorRule, ForceNeedsAReason) {
    auto empty = parse_flag_document(R"({"force": {"acme": ""}})");
    ASSERT_FALSE(empty);
    EXPECT_NE(empty.error().message.find("force.acme: the reason must not be empty"),
              std::string::npos)
        << empty.error().message;
    auto wrong = parse_flag_document(R"({"force": {"acme": true}})");
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.error().message.find("force.acme"), std::string::npos) << wrong.error().message;
    auto duplicate = parse_flag_document(R"({"force": {"acme": "a", "acme": "b"}})");
    ASSERT_FALSE(duplicate);
}

TEST(DoorRule, AtStartEveryEntryCountsAsChanged) {
    const auto document = doc(R"({"tenants": {"acme": {"stage": "legacy"}}})");
    EXPECT_FALSE(check_transition(nullptr, *document, *closed({"acme"}), nullptr).accepted());
    EXPECT_TRUE(check_transition(nullptr, *document, *closed({"globex"}), nullptr).accepted());
}

}  // namespace
}  // namespace switchyard::flags

namespace switchyard::flags {
namespace {

// `count` final tenants, the last one moved to `last_stage`.
std::string final_tenants(std::size_t count, std::string_view last_stage) {
    std::string text = R"({"tenants": {)";
    for (std::size_t i = 0; i < count; ++i) {
        text += (i ? ", \"" : "\"") + ("tenant-" + std::to_string(i)) + R"(": {"stage": ")";
        text += i + 1 < count ? "final" : last_stage;
        text += "\"}";
    }
    return text + "}}";
}

TEST(DoorRule, AMillionTenantCheckOnAReloadsThreadIsPacedAndFindsTheSame) {
    const auto before = doc(final_tenants(20'000, "final").c_str());
    const auto after = doc(final_tenants(20'000, "new").c_str());
    const auto doors = closed({});
    const auto unpaced = check_transition(before.get(), *after, *doors, {});
    StillClock clock;
    auto pacer = pacer_of_steps(clock);
    pacer.begin();
    const ReloadPacer::ThreadScope scope(&pacer);
    const auto paced = check_transition(before.get(), *after, *doors, {});
    EXPECT_GE(pacer.steps(), 20'000U / 1024);
    ASSERT_EQ(paced.refused.size(), 1U);
    EXPECT_EQ(paced.refused, unpaced.refused);
    EXPECT_NE(paced.refused[0].find("tenants.tenant-19999: is final"), std::string::npos)
        << paced.refused[0];
}

}  // namespace
}  // namespace switchyard::flags
