// The fast path through a document's tenants: it reads the plain entries exactly as the general
// reader does (same ids, stages, notes, lines), and gives up on anything else.
#include "flags/plain_tenant_entry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "flags/flag_document.hpp"

namespace switchyard::flags {
namespace {

std::optional<PlainTenantEntry> scan(std::string_view text, bool first_member = true) {
    PlainTenantEntry entry;
    if (!scan_plain_tenant_entry(text, 0, 1, first_member, entry)) return std::nullopt;
    return entry;
}

TEST(PlainTenantEntry, ReadsACompactEntry) {
    const std::string_view text = R"("acme":{"stage":"new"}, "next")";
    const auto entry = scan(text);
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->id, "acme");
    EXPECT_EQ(entry->stage, Stage::new_);
    EXPECT_EQ(entry->note, "");
    EXPECT_EQ(entry->id_line, 1U);
    EXPECT_EQ(text.substr(entry->end), R"(, "next")");
    EXPECT_EQ(entry->end_line, 1U);
}

TEST(PlainTenantEntry, ReadsAPrettyPrintedEntryAfterItsCommaAndCountsItsLines) {
    const std::string_view text =
        ",\n  \"t-1.a@b:c_\"\n :\n {\n   \"note\": \"moved, on call {}\",\n"
        "   \"stage\": \"final\"\n  }\n }";
    const auto entry = scan(text, false);
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->id, "t-1.a@b:c_");
    EXPECT_EQ(entry->stage, Stage::final_);
    EXPECT_EQ(entry->note, "moved, on call {}");
    EXPECT_EQ(entry->id_line, 3U);  // the colon's, as JsonReader reports it
    EXPECT_EQ(text.substr(entry->end), "\n }");
    EXPECT_EQ(entry->end_line, 7U);
}

TEST(PlainTenantEntry, ReadsEveryStage) {
    for (const auto stage :
         {Stage::legacy, Stage::shadow, Stage::reads, Stage::new_, Stage::final_}) {
        const auto entry = scan(R"("a": {"stage": ")" + std::string{to_string(stage)} + R"("})");
        ASSERT_TRUE(entry) << to_string(stage);
        EXPECT_EQ(entry->stage, stage);
    }
}

TEST(PlainTenantEntry, LeavesEverythingElseToTheGeneralReader) {
    const std::string long_id(129, 'x');
    for (const std::string& text : std::vector<std::string>{
             R"("a\u0062": {"stage": "new"})",                          // escape in the id
             R"("a": {"stage": "n\u0065w"})",                           // escape in the stage
             R"("a": {"stage": "new", "note": "\"x\""})",               // escape in the note
             "\"a\": {\"stage\": \"new\", \"note\": \"caf\xC3\xA9\"}",  // non-ASCII note
             "\"a\": {\"stage\": \"new\", \"note\": \"tab\there\"}",    // control character
             R"("a b": {"stage": "new"})",                              // not an id
             R"("": {"stage": "new"})",                                 // empty id
             "\"" + long_id + R"(": {"stage": "new"}})",                // id too long
             R"("a": {"stage": "nwe"})",                                // unknown stage
             R"("a": {"stage": "New"})",
             R"("a": {"stage": ""})",
             R"("a": {"note": "x"})",  // no stage
             R"("a": {})",
             R"("a": {"stage": "new", "stage": "legacy"})",  // repeated field
             R"("a": {"note": "x", "note": "y", "stage": "new"})",
             R"("a": {"stage": "new", "owner": "x"})",  // unknown field
             R"("a": {"stages": "new"})",
             R"("a": {"stag": "new"})",
             R"("a": {"stage": "new",})",             // trailing comma
             R"("a": {"stage": "new" "note": "x"})",  // missing comma
             R"("a": {"stage": 3})",                  // wrong types
             R"("a": {"stage": "new", "note": null})",
             R"("a": "new")",
             R"("a" {"stage": "new"})",  // missing colon
             R"("a": {"stage": "new")",  // cut short
             R"("a": {"stage": "new)",
             R"("a)",
             "",
             R"(})",  // the end of the tenants
         }) {
        EXPECT_FALSE(scan(text)) << text;
    }
    EXPECT_FALSE(scan(R"("a": {"stage": "new"})", false)) << "no comma before a later member";
}

// Each id written with an escape (`\u0074` for its first byte) makes the general reader read
// that entry: the same document through the other path must give the same table.
std::string tenants_document(std::size_t count, bool escape_ids) {
    constexpr std::array<std::string_view, 5> kStages{"legacy", "shadow", "reads", "new", "final"};
    std::string text = "{\"default_stage\": \"reads\", \"tenants\": {";
    for (std::size_t i = 0; i < count; ++i) {
        text += i == 0 ? "\n" : (i % 7 == 0 ? " ,\n\n\t" : ",\n");
        text += escape_ids ? "\"\\u0074" : "\"t";
        text += std::to_string(i) + (i % 3 == 0 ? "\"\n:" : "\": ") + "{";
        const std::string stage = R"("stage": ")" + std::string{kStages[i % 5]} + "\"";
        const std::string note = R"("note": "note )" + std::to_string(i) + "\"";
        text += i % 4 == 0 ? stage : i % 4 == 1 ? stage + ", " + note : note + ",\n " + stage;
        text += i % 5 == 0 ? "\r\n}" : "}";
    }
    return text + "\n}}\n";
}

TEST(PlainTenantEntry, GivesTheTableTheGeneralReaderGives) {
    constexpr std::size_t kCount = 2000;
    const auto fast = parse_flag_document(tenants_document(kCount, false));
    const auto general = parse_flag_document(tenants_document(kCount, true));
    ASSERT_TRUE(fast.ok()) << fast.error().message;
    ASSERT_TRUE(general.ok()) << general.error().message;
    ASSERT_EQ((*fast)->tenant_count(), kCount);
    ASSERT_EQ((*general)->tenant_count(), kCount);
    std::vector<TenantFlag> in_fast;
    (*fast)->tenants().for_each([&](const TenantFlag& flag) { in_fast.push_back(flag); });
    std::size_t position = 0;
    (*general)->tenants().for_each([&](const TenantFlag& flag) {
        ASSERT_LT(position, in_fast.size());
        EXPECT_EQ(flag.id, in_fast[position].id);
        EXPECT_EQ(flag.stage, in_fast[position].stage);
        EXPECT_EQ(flag.note, in_fast[position].note);
        EXPECT_EQ(flag.id, "t" + std::to_string(position));
        ++position;
    });
    const auto found = (*fast)->find("t1999");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->note, "note 1999");
}

// Lines are counted the same way by both paths: a late error names the same line either way.
TEST(PlainTenantEntry, LateErrorsNameTheSameLineOnBothPaths) {
    for (const bool escape_ids : {false, true}) {
        std::string text = tenants_document(500, escape_ids);
        text.insert(text.rfind("\n}}"), ",\n\"late\": {\"stage\": \"nwe\"}");
        const auto parsed = parse_flag_document(text);
        ASSERT_FALSE(parsed.ok());
        const auto lines = std::count(text.begin(), text.end(), '\n');
        EXPECT_EQ(parsed.error().message, "tenants.late.stage: unknown stage \"nwe\" (line " +
                                              std::to_string(lines - 1) + ")")
            << "escaped ids: " << escape_ids;

        std::string repeated = tenants_document(500, escape_ids);
        repeated.insert(repeated.rfind("\n}}"), ",\n\"t250\": {\"stage\": \"new\"}");
        const auto twice = parse_flag_document(repeated);
        ASSERT_FALSE(twice.ok());
        EXPECT_EQ(twice.error().message,
                  "tenants.t250: duplicate tenant id (line " + std::to_string(lines - 1) + ")")
            << "escaped ids: " << escape_ids;
    }
}

}  // namespace
}  // namespace switchyard::flags
