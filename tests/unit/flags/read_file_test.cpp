// A file read block by block (the watcher's first pass over a flag file): the blocks are the
// text, in order, whole but the last, so a digest taken on the way is the digest of the text;
// and a file read whole is its text.
#include "flags/read_file.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "flag_file_dir.hpp"
#include "flags/text_digest.hpp"

namespace switchyard::flags {
namespace {

namespace fs = std::filesystem;

class ReadFileTest : public testing::Test {
  protected:
    // 300 KiB and a little: several 64 KiB reads, ending inside a block.
    std::string write_text() {
        std::string text;
        for (int i = 0; text.size() < 300 * 1024 + 17; ++i) {
            text += "{\"tenant-" + std::to_string(i) + "\": {\"stage\": \"new\"}}\n";
        }
        std::ofstream(path_, std::ios::binary) << text;
        return text;
    }

    FlagFileDir temp_{"read-file"};
    const fs::path path_ = temp_.flag_file();
};

TEST_F(ReadFileTest, BlocksAreTheTextInOrderWholeButTheLast) {
    const auto text = write_text();
    constexpr std::size_t kBlock = 10'000;
    std::vector<std::string> blocks;
    auto file = open_for_reading(path_);
    ASSERT_TRUE(file.ok()) << file.error().message;
    EXPECT_EQ(file->identity.size, static_cast<std::int64_t>(text.size()));
    const auto read = read_blocks(file->open.fd(), kBlock, nullptr,
                                  [&](std::string_view block) { blocks.emplace_back(block); });
    ASSERT_TRUE(read.ok()) << read.error().message;
    ASSERT_EQ(blocks.size(), (text.size() + kBlock - 1) / kBlock);
    std::string joined;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        if (i + 1 < blocks.size()) {
            EXPECT_EQ(blocks[i].size(), kBlock) << "block " << i;
        }
        joined += blocks[i];
    }
    EXPECT_EQ(joined, text);
}

TEST_F(ReadFileTest, ADigestTakenOnTheWayIsTheDigestOfTheText) {
    const auto text = write_text();
    TextDigester digester;
    auto file = open_for_reading(path_);
    ASSERT_TRUE(file.ok()) << file.error().message;
    const auto read = read_blocks(file->open.fd(), TextDigester::kBlockBytes, nullptr,
                                  [&](std::string_view block) { digester.add(block); });
    ASSERT_TRUE(read.ok()) << read.error().message;
    const auto expected = digest_of(text);
    EXPECT_EQ(digester.digest().hash, expected.hash);
    EXPECT_EQ(digester.digest().open_braces, expected.open_braces);
    EXPECT_EQ(expected.open_braces,
              2 * static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
}

TEST_F(ReadFileTest, AFileReadWholeIsItsText) {
    const auto text = write_text();
    const auto content = read_whole_file(path_);
    ASSERT_TRUE(content.ok()) << content.error().message;
    EXPECT_EQ(content->text, text);
    EXPECT_EQ(content->identity, identity_of_file(path_));
}

TEST_F(ReadFileTest, AMissingFileSaysItCannotBeOpened) {
    const auto file = open_for_reading(path_);
    ASSERT_FALSE(file.ok());
    EXPECT_EQ(file.error().message, "cannot open: No such file or directory");
}

}  // namespace
}  // namespace switchyard::flags
