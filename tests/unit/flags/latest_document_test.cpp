// The flag file's newest document, given one parsed from it a moment ago: the same bytes are not
// parsed again, other bytes are, and a file gone bad or missing since is an error.
#include "flags/latest_document.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <string>

#include "flags/content_hash.hpp"
#include "flags/flag_document.hpp"

namespace switchyard::flags {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kAcmeNew = R"({"tenants": {"acme": {"stage": "new"}}})";
constexpr std::string_view kAcmeReads = R"({"tenants": {"acme": {"stage": "reads"}}})";

class LatestDocumentTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "latest-document-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        path_ = dir_ / "flags.json";
    }
    void TearDown() override { fs::remove_all(dir_); }

    void write(std::string_view text) { std::ofstream(path_, std::ios::trunc) << text; }
    static std::shared_ptr<const FlagSnapshot> parsed(std::string_view text) {
        auto result = parse_flag_document(text);
        EXPECT_TRUE(result.ok()) << result.error().message;
        return result.ok() ? *result : nullptr;
    }
    static Stage acme_stage(const FlagSnapshot& flags) {
        const auto entry = flags.find("acme");
        return entry ? entry->stage : Stage::legacy;
    }

    fs::path dir_;
    fs::path path_;
};

TEST(ContentHash, TheParsedDocumentCarriesTheHashOfItsText) {
    const auto flags = parse_flag_document(kAcmeNew);
    ASSERT_TRUE(flags.ok());
    EXPECT_EQ((*flags)->content_hash(), content_hash(kAcmeNew));
    // A document that means the same but is written differently is other bytes.
    const auto spaced = parse_flag_document(R"({"tenants": {"acme": {"stage":  "new"}}})");
    ASSERT_TRUE(spaced.ok());
    EXPECT_NE((*spaced)->content_hash(), (*flags)->content_hash());
    EXPECT_FALSE(FlagSnapshot{}.content_hash().has_value());
}

TEST_F(LatestDocumentTest, SameBytesGiveBackTheDocumentAlreadyParsed) {
    write(kAcmeNew);
    const auto earlier = parsed(kAcmeNew);
    const auto latest = latest_document(path_, earlier);
    ASSERT_TRUE(latest.ok()) << latest.error().message;
    EXPECT_EQ(latest.value(), earlier) << "the same bytes were parsed a second time";
}

TEST_F(LatestDocumentTest, BytesReplacedSinceAreParsedAndWin) {
    const auto earlier = parsed(kAcmeNew);
    write(kAcmeReads);  // an admin change replaced the file after the watcher read it
    const auto latest = latest_document(path_, earlier);
    ASSERT_TRUE(latest.ok()) << latest.error().message;
    ASSERT_NE(latest.value(), earlier);
    EXPECT_EQ(acme_stage(*latest.value()), Stage::reads);
    EXPECT_EQ(latest.value()->content_hash(), content_hash(kAcmeReads));
}

TEST_F(LatestDocumentTest, ADocumentBuiltWithoutTextIsNeverTakenForTheFile) {
    write(kAcmeReads);
    const auto latest = latest_document(path_, std::make_shared<const FlagSnapshot>());
    ASSERT_TRUE(latest.ok()) << latest.error().message;
    EXPECT_EQ(acme_stage(*latest.value()), Stage::reads);
}

TEST_F(LatestDocumentTest, AFileGoneBadSinceIsAnErrorNamingFileAndLine) {
    const auto earlier = parsed(kAcmeNew);
    write("{\n  \"tenants\": {\"acme\": {\"stage\": \"nwe\"}}\n}\n");
    const auto latest = latest_document(path_, earlier);
    ASSERT_FALSE(latest.ok());
    EXPECT_EQ(latest.error().message,
              path_.string() + ": tenants.acme.stage: unknown stage \"nwe\" (line 2)");
}

TEST_F(LatestDocumentTest, AFileGoneSinceIsAnError) {
    const auto latest = latest_document(path_, parsed(kAcmeNew));
    ASSERT_FALSE(latest.ok());
    EXPECT_NE(latest.error().message.find(path_.string() + ": cannot open"), std::string::npos)
        << latest.error().message;
}

}  // namespace
}  // namespace switchyard::flags
