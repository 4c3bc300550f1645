#include "flags/flag_document.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace switchyard::flags {
namespace {

std::shared_ptr<const FlagSnapshot> parse_ok(std::string_view text) {
    auto parsed = parse_flag_document(text);
    EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
    return parsed.ok() ? *parsed : nullptr;
}

std::optional<Stage> stage_of(const FlagSnapshot& flags, std::string_view tenant) {
    const auto entry = flags.find(tenant);
    return entry ? std::optional<Stage>{entry->stage} : std::nullopt;
}

TEST(FlagDocument, ReadsTheDocumentedExample) {
    const auto flags = parse_ok(R"({ "default_stage": "legacy",
      "rollout": {"stage": "new", "percent": 5, "salt": "wave-1"},
      "tenants": {"acme": {"stage": "new"}, "globex": {"stage": "reads"}} })");
    ASSERT_TRUE(flags);
    EXPECT_EQ(flags->default_stage(), Stage::legacy);
    EXPECT_EQ(flags->rollout().stage(), Stage::new_);
    EXPECT_EQ(flags->rollout().percent_hundredths(), 500U);
    EXPECT_EQ(flags->rollout().salt(), "wave-1");
    EXPECT_EQ(flags->tenant_count(), 2U);
    EXPECT_EQ(stage_of(*flags, "acme"), Stage::new_);
    EXPECT_EQ(stage_of(*flags, "globex"), Stage::reads);
    EXPECT_EQ(stage_of(*flags, "initech"), std::nullopt);
    EXPECT_EQ(stage_of(*flags, "ACME"), std::nullopt);  // ids are case-sensitive
}

TEST(FlagDocument, EmptyObjectMeansEveryoneOnLegacy) {
    const auto flags = parse_ok("{}");
    ASSERT_TRUE(flags);
    EXPECT_EQ(flags->default_stage(), Stage::legacy);
    EXPECT_EQ(flags->rollout().percent_hundredths(), 0U);
    EXPECT_EQ(flags->rollout().salt(), "");
    EXPECT_EQ(flags->tenant_count(), 0U);
    EXPECT_EQ(stage_of(*flags, "acme"), std::nullopt);
}

TEST(FlagDocument, SaltDefaultsToEmpty) {
    const auto flags = parse_ok(R"({"rollout": {"stage": "reads", "percent": 50}})");
    ASSERT_TRUE(flags);
    EXPECT_EQ(flags->rollout().salt(), "");
    EXPECT_EQ(flags->rollout().stage(), Stage::reads);
    EXPECT_EQ(flags->rollout().percent_hundredths(), 5000U);
}

TEST(FlagDocument, EveryStageIsAllowedEverywhere) {
    for (const auto& [name, stage] :
         std::vector<std::pair<std::string, Stage>>{{"legacy", Stage::legacy},
                                                    {"shadow", Stage::shadow},
                                                    {"reads", Stage::reads},
                                                    {"new", Stage::new_},
                                                    {"final", Stage::final_}}) {
        const auto flags =
            parse_ok(R"({"default_stage": ")" + name + R"(", "rollout": {"stage": ")" + name +
                     R"(", "percent": 1}, "tenants": {"t": {"stage": ")" + name + R"("}}})");
        ASSERT_TRUE(flags) << name;
        EXPECT_EQ(flags->default_stage(), stage);
        EXPECT_EQ(flags->rollout().stage(), stage);
        EXPECT_EQ(stage_of(*flags, "t"), stage);
    }
}

TEST(FlagDocument, PercentBecomesWholeHundredths) {
    const std::vector<std::pair<std::string, std::uint32_t>> cases{
        {"0", 0},         {"100", 10000}, {"12.5", 1250},  {"0.01", 1},
        {"33.33", 3333},  {"0.29", 29},   {"1e1", 1000},   {"5.10", 510},
        {"100.0", 10000}, {"-0", 0},      {"99.99", 9999}, {"2.5E-1", 25}};
    for (const auto& [written, hundredths] : cases) {
        const auto flags = parse_ok(R"({"rollout": {"stage": "new", "percent": )" + written + "}}");
        ASSERT_TRUE(flags) << written;
        EXPECT_EQ(flags->rollout().percent_hundredths(), hundredths) << written;
    }
}

TEST(FlagDocument, KeepsNotesAndDecodesEscapedIds) {
    const auto flags = parse_ok(R"({"tenants": {
        "acme": {"note": "moved by J\u00f6rg, ticket \"OPS-1\"", "stage": "final"},
        "\u0067lobex": {"stage": "shadow"},
        "user@example.com": {"stage": "reads", "note": ""},
        "a.b_c:d-e@f": {"stage": "new"}}})");
    ASSERT_TRUE(flags);
    const auto acme = flags->find("acme");
    ASSERT_TRUE(acme);
    EXPECT_EQ(acme->id, "acme");
    EXPECT_EQ(acme->stage, Stage::final_);
    EXPECT_EQ(acme->note, "moved by J\xC3\xB6rg, ticket \"OPS-1\"");
    EXPECT_EQ(stage_of(*flags, "globex"), Stage::shadow);
    EXPECT_EQ(stage_of(*flags, "user@example.com"), Stage::reads);
    EXPECT_EQ(stage_of(*flags, "a.b_c:d-e@f"), Stage::new_);
    EXPECT_EQ(flags->find("globex")->note, "");
}

TEST(FlagDocument, AnEscapedIdSurvivesEscapedKeysInsideItsEntry) {
    // Both decode into the reader's key buffer: the id must be kept before the entry is read.
    const auto flags = parse_ok(R"({"tenants": {"\u0061cme": {"st\u0061ge": "new",
        "n\u006fte": "x"}, "globex": {"stage": "reads"}}})");
    ASSERT_TRUE(flags);
    EXPECT_EQ(stage_of(*flags, "acme"), Stage::new_);
    EXPECT_EQ(flags->find("acme")->note, "x");
    EXPECT_EQ(stage_of(*flags, "globex"), Stage::reads);
    EXPECT_EQ(flags->tenant_count(), 2U);
}

TEST(FlagDocument, FindsEveryOneOfManyTenantsAndNoOther) {
    std::string text = R"({"tenants": {)";
    constexpr int kTenants = 5000;  // enough to fill many cache lines of the index
    for (int i = 0; i < kTenants; ++i) {
        text += (i ? ", \"t" : "\"t") + std::to_string(i) + R"(": {"stage": ")" +
                (i % 2 ? "new" : "reads") + "\"}";
    }
    const auto flags = parse_ok(text + "}}");
    ASSERT_TRUE(flags);
    ASSERT_EQ(flags->tenant_count(), static_cast<std::size_t>(kTenants));
    for (int i = 0; i < kTenants; ++i) {
        ASSERT_EQ(stage_of(*flags, "t" + std::to_string(i)), i % 2 ? Stage::new_ : Stage::reads)
            << i;
    }
    EXPECT_EQ(stage_of(*flags, "t" + std::to_string(kTenants)), std::nullopt);
    EXPECT_EQ(stage_of(*flags, "t"), std::nullopt);
}

TEST(FlagDocument, LooksUpByViewWithoutATerminator) {
    const auto flags = parse_ok(R"({"tenants": {"acme": {"stage": "new"}}})");
    ASSERT_TRUE(flags);
    const std::string_view text = "acmeXYZ";
    EXPECT_EQ(stage_of(*flags, text.substr(0, 4)), Stage::new_);
    EXPECT_EQ(stage_of(*flags, text.substr(0, 3)), std::nullopt);
}

TEST(FlagDocument, ListsEveryTenantInDocumentOrder) {
    const auto flags = parse_ok(R"({"tenants": {"b": {"stage": "new"}, "a": {"stage": "reads"},
        "c": {"stage": "legacy", "note": "n"}}})");
    ASSERT_TRUE(flags);
    std::vector<std::string> ids;
    flags->tenants().for_each([&](const TenantFlag& flag) { ids.emplace_back(flag.id); });
    EXPECT_EQ(ids, (std::vector<std::string>{"b", "a", "c"}));
}

TEST(FlagDocument, AcceptsTheLongestValidId) {
    const std::string id(128, 'x');
    const auto flags = parse_ok(R"({"tenants": {")" + id + R"(": {"stage": "new"}}})");
    ASSERT_TRUE(flags);
    EXPECT_EQ(stage_of(*flags, id), Stage::new_);
}

// This process's peak resident memory in KiB, made the current one again first when `reset`;
// nothing when the kernel keeps either to itself.
std::optional<long> peak_rss_kib(bool reset) {
    if (reset && !(std::ofstream{"/proc/self/clear_refs"} << "5").flush()) return std::nullopt;
    std::ifstream status{"/proc/self/status"};
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    }
    return std::nullopt;
}

// The table is sized before the parse from the document's opening braces: braces inside a note
// count too, and must not make a small document map many times its size.
TEST(FlagDocument, BracesInANoteDoNotSizeTheTableBeyondTheDocument) {
    const std::string note(8 << 20, '{');
    const std::string text = R"({"tenants": {"a": {"stage": "new", "note": ")" + note + "\"}}}";
    const auto before = peak_rss_kib(true);
    if (!before) GTEST_SKIP() << "no /proc/self/clear_refs or VmHWM here";
    const auto flags = parse_ok(text);
    const auto after = peak_rss_kib(false);
    ASSERT_TRUE(flags);
    ASSERT_TRUE(after);
    EXPECT_EQ(flags->find("a")->note.size(), note.size());
    // The note's copy is 8 MiB; 8 Mi braces taken for tenants would map ~100 MiB of room.
    EXPECT_LT(*after - *before, 40 * 1024) << "KiB more at the peak";
}

}  // namespace
}  // namespace switchyard::flags
