#include "flags/editable_document.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "flags/flag_document.hpp"

namespace switchyard::flags {
namespace {

TEST(EditableDocument, RenderedDocumentParsesBackToTheSameFlags) {
    const auto original = parse_flag_document(R"({
      "default_stage": "reads",
      "rollout": {"stage": "new", "percent": 12.5, "salt": "wave \"2\""},
      "tenants": {"acme": {"stage": "new", "note": "moved by alice\nOPS-1"},
                  "globex": {"stage": "final"}},
      "force": {"initech": "restored from backup"}})");
    ASSERT_TRUE(original) << original.error().message;
    const auto text = EditableDocument::from(**original).render();
    const auto reparsed = parse_flag_document(text);
    ASSERT_TRUE(reparsed) << reparsed.error().message << "\n" << text;
    const auto& again = **reparsed;
    EXPECT_EQ(again.default_stage(), Stage::reads);
    EXPECT_EQ(again.rollout().percent_hundredths(), 1250u);
    EXPECT_EQ(again.rollout().salt(), "wave \"2\"");
    EXPECT_EQ(again.find("acme")->note, "moved by alice\nOPS-1");
    EXPECT_EQ(again.find("globex")->stage, Stage::final_);
    EXPECT_EQ(again.force_reason("initech"), "restored from backup");
    EXPECT_EQ(EditableDocument::from(again).render(), text);  // stable: no churn in diffs
}

TEST(EditableDocument, EmptyDocumentRendersValidJson) {
    const auto text = EditableDocument{}.render();
    EXPECT_TRUE(parse_flag_document(text)) << text;
}

TEST(EditableDocument, PercentKeepsHundredths) {
    EXPECT_EQ(format_percent(0), "0");
    EXPECT_EQ(format_percent(1), "0.01");
    EXPECT_EQ(format_percent(10), "0.1");
    EXPECT_EQ(format_percent(500), "5");
    EXPECT_EQ(format_percent(1250), "12.5");
    EXPECT_EQ(format_percent(10000), "100");
}

}  // namespace
}  // namespace switchyard::flags
