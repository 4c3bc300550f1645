// The flag file's newest document, given one parsed from it a moment ago: the same bytes are not
// parsed again, other bytes are, and a file gone bad or missing since is an error. A big file
// still the very one read (kept open, same identity) is not even read again; one replaced or
// rewritten since is.
#include "flags/latest_document.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "flag_file_dir.hpp"
#include "flags/flag_document.hpp"
#include "flags/text_digest.hpp"

namespace switchyard::flags {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kAcmeNew = R"({"tenants": {"acme": {"stage": "new"}}})";
constexpr std::string_view kAcmeReads = R"({"tenants": {"acme": {"stage": "reads"}}})";

class LatestDocumentTest : public ::testing::Test {
  protected:
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

    // Writes `text` to a new file renamed over the flag file, as editors and our own writes do.
    void write_by_rename(std::string_view text) {
        const auto temporary = dir_ / "flags.json.next";
        std::ofstream(temporary, std::ios::trunc) << text;
        fs::rename(temporary, path_);
    }
    // Sets the flag file's mtime, so that a test decides which parts of the identity differ.
    void set_mtime_ns(std::int64_t mtime_ns) {
        const timespec times[2] = {{0, UTIME_OMIT},
                                   {mtime_ns / 1'000'000'000, mtime_ns % 1'000'000'000}};
        ASSERT_EQ(::utimensat(AT_FDCWD, path_.c_str(), times, 0), 0);
    }
    // Read as the watcher reads it, the file held open while the returned content lives.
    FileContent read_flag_file() {
        auto content = read_whole_file(path_);
        EXPECT_TRUE(content.ok()) << content.error().message;
        return content.ok() ? std::move(content.value()) : FileContent{};
    }

    FlagFileDir temp_{"latest-document"};
    const fs::path& dir_ = temp_.dir();
    const fs::path path_ = temp_.flag_file();
};

// Larger than kCompareBytesUpTo; `acme_stage` is 5 letters, so the size never depends on it.
std::string big_document(std::string_view acme_stage) {
    std::string text = R"({"tenants": {"acme": {"stage": ")" + std::string{acme_stage} + "\"}";
    for (int i = 0; text.size() <= kCompareBytesUpTo; ++i) {
        text += R"(, "tenant-)" + std::to_string(1'000'000 + i) + R"(": {"stage": "new"})";
    }
    return text + "}}";
}

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

TEST_F(LatestDocumentTest, ABigFileStillTheOneReadIsTakenForTheDocumentReadWithoutReadingIt) {
    write(big_document("reads"));
    const auto read = read_flag_file();
    // Other bytes than the file's, given as read from it: only a file not read again gives
    // them back.
    const auto earlier = parsed(kAcmeNew);
    const auto latest = latest_document(path_, earlier, read.identity);
    ASSERT_TRUE(latest.ok()) << latest.error().message;
    EXPECT_EQ(latest.value(), earlier);
}

TEST_F(LatestDocumentTest, ABigFileReplacedSinceIsReadAgainEvenWithTheSameSizeAndMtime) {
    write(big_document("reads"));
    const auto read = read_flag_file();
    const auto earlier = parsed(read.text);
    write_by_rename(big_document("final"));  // an admin change, after the watcher read the file
    set_mtime_ns(read.identity.mtime_ns);
    const auto now = identity_of_file(path_);
    ASSERT_TRUE(now.has_value());
    ASSERT_EQ(now->size, read.identity.size);
    ASSERT_EQ(now->mtime_ns, read.identity.mtime_ns);
    ASSERT_NE(now->inode, read.identity.inode) << "the file read is open: its inode is taken";
    const auto latest = latest_document(path_, earlier, read.identity);
    ASSERT_TRUE(latest.ok()) << latest.error().message;
    EXPECT_EQ(acme_stage(*latest.value()), Stage::final_);
}

TEST_F(LatestDocumentTest, ABigFileRewrittenInPlaceSinceIsReadAgain) {
    write(big_document("reads"));
    const auto read = read_flag_file();
    const auto earlier = parsed(read.text);
    write(big_document("final"));
    set_mtime_ns(read.identity.mtime_ns + 1);  // a later tick, however coarse the clock
    const auto latest = latest_document(path_, earlier, read.identity);
    ASSERT_TRUE(latest.ok()) << latest.error().message;
    EXPECT_EQ(acme_stage(*latest.value()), Stage::final_);
}

TEST_F(LatestDocumentTest, ASmallFileIsReadAgainEvenWithTheIdentityItWasReadWith) {
    write(kAcmeReads);
    const auto read = read_flag_file();
    const auto latest = latest_document(path_, parsed(kAcmeNew), read.identity);
    ASSERT_TRUE(latest.ok()) << latest.error().message;
    EXPECT_EQ(acme_stage(*latest.value()), Stage::reads);
}

TEST_F(LatestDocumentTest, AFileGoneSinceIsAnError) {
    const auto latest = latest_document(path_, parsed(kAcmeNew));
    ASSERT_FALSE(latest.ok());
    EXPECT_NE(latest.error().message.find(path_.string() + ": cannot open"), std::string::npos)
        << latest.error().message;
}

}  // namespace
}  // namespace switchyard::flags
