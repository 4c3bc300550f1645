// A flag document parsed through a window of its file (the watcher's way, text_window.hpp)
// gives what a parse of the whole text gives, whatever the window's size: the same snapshot,
// and for a broken document the same error, line and all.
#include "flags/text_window.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "flag_file_dir.hpp"
#include "flags/flag_document.hpp"
#include "flags/text_digest.hpp"
#include "varied_document.hpp"

namespace switchyard::flags {
namespace {

// Windows from a few bytes (shorter than a member: the parse must read the text whole) to the
// watcher's own.
const std::vector<TextWindowSize> kWindowSizes{
    {64, 16}, {100, 40}, {1000, 200}, {4096, 1024}, TextWindowSize{}};

std::string describe(const TextWindowSize& size) {
    return "window " + std::to_string(size.window_bytes) + " B, " +
           std::to_string(size.ahead_bytes) + " B ahead";
}

// The sections after the tenants, so the window moves at the top level too, and a force section
// long enough to move it inside.
std::string tenants_first_document(std::size_t tenants) {
    auto text = varied_document(tenants);
    const auto force_start = text.find("  \"force\"");
    const auto tenants_start = text.find("  \"tenants\"");
    std::string head = text.substr(0, force_start);  // "{", default_stage, rollout
    std::string tail = text.substr(tenants_start);   // tenants ... "}\n}\n"
    tail.resize(tail.rfind('}'));                    // the document's closing brace off
    std::string force = "  \"force\": {";
    for (int i = 0; i < 300; ++i) {
        force += (i ? ", " : "") + std::string{"\"tenant-"} + std::to_string(i) + "\": \"reason " +
                 std::to_string(i) + "\"";
    }
    force += "}\n";
    return "{" + tail.substr(0, tail.find_last_not_of(" \n") + 1) + ",\n" +
           head.substr(1, head.find_last_not_of(" \n,")) + ",\n" + force + "}\n";
}

class WindowedParse : public testing::Test {
  protected:
    // Parses `text` as the watcher does: written to a file, read through a window of `size`.
    // `read_whole`, if given, learns whether the parse ended up reading the text whole.
    Result<std::shared_ptr<const FlagSnapshot>> parse_through(const std::string& text,
                                                              const TextWindowSize& size,
                                                              bool* read_whole = nullptr) {
        std::ofstream(path_, std::ios::binary | std::ios::trunc) << text;
        const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
        EXPECT_GE(fd, 0);
        TextWindow window{fd, text.size(), nullptr, size};
        auto parsed = parse_flag_document(window, digest_of(text));
        if (read_whole) *read_whole = window.whole();
        ::close(fd);
        return parsed;
    }

    // Windows that keep every member of `text` ahead and are smaller than it read it in pieces,
    // never whole: the window moved and the parse went on from where it stood.
    void expect_read_in_pieces(const std::string& text) {
        for (const auto& size : {TextWindowSize{1000, 200}, TextWindowSize{4096, 1024}}) {
            SCOPED_TRACE(describe(size));
            bool read_whole = true;
            const auto windowed = parse_through(text, size, &read_whole);
            ASSERT_TRUE(windowed.ok()) << windowed.error().message;
            EXPECT_FALSE(read_whole);
        }
    }

    // Every window size gives the whole text's answer: the same snapshot, or the same error.
    void expect_every_window_agrees(const std::string& text) {
        const auto whole = parse_flag_document(text);
        for (const auto& size : kWindowSizes) {
            SCOPED_TRACE(describe(size));
            const auto windowed = parse_through(text, size);
            ASSERT_EQ(windowed.ok(), whole.ok())
                << (whole.ok() ? windowed.error().message : whole.error().message);
            if (whole.ok()) {
                expect_same_snapshot(**whole, **windowed);
            } else {
                EXPECT_EQ(windowed.error().message, whole.error().message);
            }
        }
    }

    FlagFileDir temp_{"text-window"};
    const std::filesystem::path path_ = temp_.flag_file();
};

TEST_F(WindowedParse, GivesTheSnapshotTheWholeTextGives) {
    const auto text = varied_document(3000);
    ASSERT_TRUE(parse_flag_document(text).ok());
    expect_every_window_agrees(text);
    expect_read_in_pieces(text);
}

TEST_F(WindowedParse, SectionsAfterTheTenantsAreReadThroughTheWindowToo) {
    const auto text = tenants_first_document(2000);
    const auto whole = parse_flag_document(text);
    ASSERT_TRUE(whole.ok()) << whole.error().message << "\n" << text.substr(text.size() - 300);
    EXPECT_EQ((*whole)->force_reasons().size(), 300U);
    EXPECT_EQ((*whole)->rollout().salt(), "wave-2");
    expect_every_window_agrees(text);
    expect_read_in_pieces(text);
}

TEST_F(WindowedParse, AMemberLongerThanTheWindowIsReadWhole) {
    auto text = varied_document(500);
    const std::string long_note(5000, 'n');  // longer than every window but the watcher's
    const auto at = text.find(R"("tenant-248": {"stage")");
    ASSERT_NE(at, std::string::npos);
    text.insert(text.find('{', at) + 1, "\"note\": \"" + long_note + "\", ");
    const auto whole = parse_flag_document(text);
    ASSERT_TRUE(whole.ok()) << whole.error().message;
    EXPECT_EQ((*whole)->find("tenant-248")->note, long_note);
    expect_every_window_agrees(text);
}

TEST_F(WindowedParse, AProblemLateInTheDocumentIsTheErrorTheWholeTextGives) {
    expect_every_window_agrees(varied_document(2000, "nwe"));  // an unknown stage, last entry
    auto missing_comma = varied_document(2000);
    missing_comma.erase(missing_comma.find(",", missing_comma.find("\"tenant-1500\"")), 1);
    expect_every_window_agrees(missing_comma);
    auto repeated = varied_document(2000);
    repeated.replace(repeated.rfind("\"tenant-1999\""), 13, "\"tenant-3\"");
    expect_every_window_agrees(repeated);
    auto cut = varied_document(2000);
    cut.resize(cut.size() - 5);  // the end of the last entry and the closing braces gone
    expect_every_window_agrees(cut);
}

TEST_F(WindowedParse, TextAfterTheDocumentIsFoundBeyondTheWindow) {
    // More whitespace than any small window keeps ahead, then something that is not.
    const auto text = varied_document(200) + std::string(5000, ' ') + "{}";
    const auto whole = parse_flag_document(text);
    ASSERT_FALSE(whole.ok());
    EXPECT_NE(whole.error().message.find("unexpected text after the document"), std::string::npos)
        << whole.error().message;
    expect_every_window_agrees(text);
}

TEST_F(WindowedParse, TheWindowKeepsTheBytesTheReaderHasNotReadAndMovesOnlyWhenAsked) {
    std::string text;
    for (int i = 0; i < 1000; ++i) text += std::to_string(i % 10);
    std::ofstream(path_, std::ios::binary) << text;
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    TextWindow window{fd, text.size(), nullptr, {100, 30}};
    EXPECT_TRUE(window.wants_more(0)) << "nothing read yet";
    ASSERT_TRUE(window.read_ahead(0).ok());
    EXPECT_EQ(window.text(), text.substr(0, 100));
    EXPECT_FALSE(window.wants_more(70)) << "30 bytes ahead";
    EXPECT_TRUE(window.wants_more(71));
    EXPECT_EQ(window.left_from(71), 1000U - 71);
    const auto moved = window.read_ahead(71);
    ASSERT_TRUE(moved.ok());
    EXPECT_EQ(*moved, 0U);
    EXPECT_EQ(window.text(), text.substr(71, 100)) << "byte 71 first, the window full again";
    EXPECT_FALSE(window.at_end());
    std::size_t position = 0;
    while (!window.at_end()) {
        auto next = window.read_ahead(position + 80);
        ASSERT_TRUE(next.ok());
        position = *next;
    }
    EXPECT_EQ(window.text(), text.substr(text.size() - window.text().size())) << "to the end";
    EXPECT_FALSE(window.whole());
    ASSERT_TRUE(window.read_whole().ok());
    EXPECT_TRUE(window.whole());
    EXPECT_EQ(window.text(), text);
    ::close(fd);
}

}  // namespace
}  // namespace switchyard::flags
