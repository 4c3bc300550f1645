// The shape of a document's entries: learned from one the scanner read, it reads the next ones
// exactly as the scanner would (same id, stage, lines and end), and refuses everything else.
#include "flags/plain_entry_shape.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace switchyard::flags {
namespace {

constexpr std::size_t kLine = 7;  // the line a member starts on, as the parser tells it

// `text` placed so that its last byte is the last one before an unreadable page: a compare or
// scan that reads one byte too far crashes the test.
class GuardedText {
  public:
    explicit GuardedText(std::string_view text) {
        const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        pages_ = (text.size() / page + 2) * page;
        base_ = static_cast<char*>(
            ::mmap(nullptr, pages_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        if (base_ == MAP_FAILED) throw std::runtime_error("mmap");
        char* const guard = base_ + pages_ - page;
        ::mprotect(guard, page, PROT_NONE);
        char* const start = guard - text.size();
        std::memcpy(start, text.data(), text.size());
        view_ = {start, text.size()};
    }
    ~GuardedText() { ::munmap(base_, pages_); }
    GuardedText(const GuardedText&) = delete;
    GuardedText& operator=(const GuardedText&) = delete;
    std::string_view view() const { return view_; }

  private:
    char* base_ = nullptr;
    std::size_t pages_ = 0;
    std::string_view view_;
};

std::optional<PlainTenantEntry> scanned(std::string_view text) {
    PlainTenantEntry entry;
    if (!scan_plain_tenant_entry(text, 0, kLine, false, entry)) return std::nullopt;
    return entry;
}

std::optional<PlainTenantEntry> matched(const PlainEntryShape& shape, std::string_view text) {
    const GuardedText guarded{text};
    PlainTenantEntry entry;
    if (!shape.match(guarded.view(), 0, kLine, entry)) return std::nullopt;
    // Views into the guarded copy would dangle: the same offsets in `text`.
    const auto in_text = [&](std::string_view part) -> std::string_view {
        if (part.empty()) return {};
        return text.substr(static_cast<std::size_t>(part.data() - guarded.view().data()),
                           part.size());
    };
    entry.id = in_text(entry.id);
    entry.stage_text = in_text(entry.stage_text);
    entry.note = in_text(entry.note);
    return entry;
}

PlainEntryShape learned_from(std::string_view text) {
    const auto entry = scanned(text);
    if (!entry) throw std::runtime_error("the scanner refused " + std::string{text});
    PlainEntryShape shape;
    shape.learn(text, 0, kLine, *entry);
    return shape;
}

void expect_same(const PlainTenantEntry& got, const PlainTenantEntry& want) {
    EXPECT_EQ(got.id, want.id);
    EXPECT_EQ(got.stage, want.stage);
    EXPECT_EQ(got.stage_text, want.stage_text);
    EXPECT_EQ(got.note, want.note);
    EXPECT_EQ(got.id_line, want.id_line);
    EXPECT_EQ(got.end, want.end);
    EXPECT_EQ(got.end_line, want.end_line);
}

const std::string kPretty = ",\n  \"t00001\"\n  : {\n   \"stage\": \"legacy\"\n  },\n  \"t00002\"";

TEST(PlainEntryShape, ReadsTheNextEntriesOfTheLearnedShapeAsTheScannerDoes) {
    const PlainEntryShape shape = learned_from(kPretty);
    for (const std::string& text : std::vector<std::string>{
             ",\n  \"t00002\"\n  : {\n   \"stage\": \"new\"\n  }",
             ",\n  \"acme.eu-1@x:y_z\"\n  : {\n   \"stage\": \"final\"\n  }\n }",
             ",\n  \"" + std::string(128, 'a') + "\"\n  : {\n   \"stage\": \"shadow\"\n  },"}) {
        const auto want = scanned(text);
        ASSERT_TRUE(want) << text;
        const auto got = matched(shape, text);
        ASSERT_TRUE(got) << text;
        expect_same(*got, *want);
    }
    const auto got = matched(shape, ",\n  \"t00002\"\n  : {\n   \"stage\": \"reads\"\n  }");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->id_line, kLine + 2);  // the colon's line, as the scanner says
    EXPECT_EQ(got->end_line, kLine + 4);
    EXPECT_EQ(got->stage, Stage::reads);
}

TEST(PlainEntryShape, KnowsNothingBeforeLearningAndLearnsNoEntryWithANote) {
    const std::string compact = R"(,"t1":{"stage":"new"})";
    EXPECT_FALSE(matched(PlainEntryShape{}, compact));

    const std::string noted = R"(,"t1":{"note":"moved","stage":"new"})";
    const PlainEntryShape from_noted = learned_from(noted);
    EXPECT_FALSE(matched(from_noted, noted)) << "a note is the scanner's to read";

    PlainEntryShape kept = learned_from(compact);
    const auto entry = scanned(noted);
    ASSERT_TRUE(entry);
    kept.learn(noted, 0, kLine, *entry);
    EXPECT_TRUE(matched(kept, R"(,"t2":{"stage":"legacy"})")) << "the shape known before stays";
}

TEST(PlainEntryShape, LearnsNoShapeTooLongToCompareCheaply) {
    const std::string wide =
        ",\"t1\":{" + std::string(PlainEntryShape::kMaxPieceBytes, ' ') + R"("stage":"new"})";
    EXPECT_FALSE(matched(learned_from(wide), wide));
}

TEST(PlainEntryShape, LeavesEveryOtherEntryToTheScanner) {
    const PlainEntryShape shape = learned_from(kPretty);
    const std::string head = ",\n  \"";
    const std::string middle = "\"\n  : {\n   \"stage\": \"";
    const std::string tail = "\"\n  }";
    for (const std::string& text : std::vector<std::string>{
             head + "t1" + middle + "new" + "\"\n }",                    // other whitespace
             ",\n   \"t1" + middle + "new" + tail,                       // other indent
             head + "t1" + middle + "new" + "\", \"note\": \"x\"\n  }",  // a note after all
             head + "t 1" + middle + "new" + tail,                       // not an id
             head + "t\\u0031" + middle + "new" + tail,                  // an escape
             head + "" + middle + "new" + tail,                          // empty id
             head + std::string(129, 'a') + middle + "new" + tail,       // id too long
             head + "t1" + middle + "nwe" + tail,                        // unknown stage
             head + "t1" + middle + "" + tail, head + "t1" + middle + "n\\u0065w" + tail,
             head + "t1" + middle + "new",  // cut short
             head + "t1" + middle, head + "t1", ",", "",
             "\n }",  // the end of the tenants
         }) {
        EXPECT_FALSE(matched(shape, text)) << text;
    }
}

// Whatever the shape accepts, the scanner accepts and reads the same: every entry of the
// learned shape, and every entry a byte away from one (flipped, dropped or doubled), and every
// prefix of them (a window's end).
TEST(PlainEntryShape, AcceptsNothingTheScannerWouldReadOtherwise) {
    const PlainEntryShape shape = learned_from(kPretty);
    const std::string base = ",\n  \"t00001\"\n  : {\n   \"stage\": \"legacy\"\n  }, ";
    const std::string bytes = " \n\r\t\",:{}\\atn0-.@_/e\xC3";
    std::vector<std::string> variants{base};
    for (std::size_t at = 0; at < base.size(); ++at) {
        variants.push_back(base.substr(0, at) + base.substr(at + 1));
        variants.push_back(base.substr(0, at) + base[at] + base.substr(at));
        for (const char c : bytes) variants.push_back(base.substr(0, at) + c + base.substr(at + 1));
    }
    std::size_t accepted = 0;
    for (const std::string& variant : variants) {
        for (std::size_t size = 0; size <= variant.size(); ++size) {
            const std::string_view text = std::string_view{variant}.substr(0, size);
            const auto got = matched(shape, text);
            if (!got) continue;
            ++accepted;
            const auto want = scanned(text);
            ASSERT_TRUE(want) << "the shape took what the scanner refuses: " << text;
            expect_same(*got, *want);
        }
    }
    EXPECT_GT(accepted, base.size()) << "the variants that keep the shape are read";
}

}  // namespace
}  // namespace switchyard::flags
