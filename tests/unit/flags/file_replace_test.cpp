// Replacing the flag file: atomically, and only over the version that was read, so that an
// admin change never overwrites a hand edit saved after it read the file.
#include "flags/file_replace.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace switchyard::flags {
namespace {

namespace fs = std::filesystem;

class FileReplace : public testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("file-replace-" + std::to_string(::getpid()) + "-" +
                testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        path_ = dir_ / "flags.json";
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string content() const {
        std::ifstream in(path_);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
    // As an editor saves: a new file renamed over the old one.
    void save_by_rename(const std::string& text) const {
        const auto aside = dir_ / "flags.json.editor";
        std::ofstream(aside) << text;
        fs::rename(aside, path_);
    }
    // Only our own files in the directory: no temp file left behind.
    std::size_t files() const {
        return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), {}));
    }

    fs::path dir_;
    fs::path path_;
};

TEST_F(FileReplace, AtomicWriteReplacesTheWholeFile) {
    ASSERT_TRUE(write_file_atomically(path_, "first version, longer than the second\n"));
    ASSERT_TRUE(write_file_atomically(path_, "second\n"));
    EXPECT_EQ(content(), "second\n");
    EXPECT_EQ(files(), 1u);
}

TEST_F(FileReplace, AtomicWriteIntoAMissingDirectoryFailsClearly) {
    auto result = write_file_atomically("/nonexistent-dir/flags.json", "{}");
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("/nonexistent-dir/flags.json"), std::string::npos);
}

TEST_F(FileReplace, ReplacesTheVersionThatWasRead) {
    save_by_rename("hand version\n");
    const auto read = read_file_content(path_);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->text, "hand version\n");
    const auto replaced = replace_file_if_unchanged(path_, "admin version\n", *read);
    ASSERT_TRUE(replaced) << replaced.error().message;
    EXPECT_TRUE(replaced.value());
    EXPECT_EQ(content(), "admin version\n");
    EXPECT_EQ(files(), 1u);
}

TEST_F(FileReplace, KeepsAnEditorsSaveMadeAfterTheRead) {
    save_by_rename("first\n");
    const auto read = read_file_content(path_);
    ASSERT_TRUE(read);
    save_by_rename("saved by hand meanwhile\n");
    const auto replaced = replace_file_if_unchanged(path_, "admin version\n", *read);
    ASSERT_TRUE(replaced) << replaced.error().message;
    EXPECT_FALSE(replaced.value());
    EXPECT_EQ(content(), "saved by hand meanwhile\n");
    EXPECT_EQ(files(), 1u);
}

TEST_F(FileReplace, KeepsAnInPlaceSaveOfTheSameSize) {
    save_by_rename("stage: new\n");
    const auto read = read_file_content(path_);
    ASSERT_TRUE(read);
    std::ofstream(path_, std::ios::trunc) << "stage: old\n";  // same inode, same size
    const auto replaced = replace_file_if_unchanged(path_, "admin version\n", *read);
    ASSERT_TRUE(replaced);
    EXPECT_FALSE(replaced.value());
    EXPECT_EQ(content(), "stage: old\n");
}

TEST_F(FileReplace, DoesNotRecreateADeletedFile) {
    save_by_rename("first\n");
    const auto read = read_file_content(path_);
    ASSERT_TRUE(read);
    fs::remove(path_);
    const auto replaced = replace_file_if_unchanged(path_, "admin version\n", *read);
    ASSERT_TRUE(replaced);
    EXPECT_FALSE(replaced.value());
    EXPECT_FALSE(fs::exists(path_));
    EXPECT_EQ(files(), 0u);
}

TEST_F(FileReplace, ReadingAMissingFileNamesIt) {
    const auto read = read_file_content(path_);
    ASSERT_FALSE(read);
    EXPECT_NE(read.error().message.find(path_.string()), std::string::npos);
}

}  // namespace
}  // namespace switchyard::flags
