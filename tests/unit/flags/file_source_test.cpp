#include "flags/file_source.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <stdlib.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "flags/directory_watch.hpp"

namespace switchyard::flags {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr auto kPatience = 5s;     // generous bound for a loaded CI machine; success is ~50 ms
constexpr auto kNoPolling = 600s;  // proves inotify, not the poll, noticed the change

constexpr std::string_view kAcmeNew = R"({"tenants": {"acme": {"stage": "new"}}})";
constexpr std::string_view kAcmeReads = R"({"tenants": {"acme": {"stage": "reads"}}})";
constexpr std::string_view kAcmeFinal = R"({"tenants": {"acme": {"stage": "final"}}})";
constexpr std::string_view kBad = R"({"tenants": {"acme": {"stage": "nwe"}}})";

// What the source told us, waited on with a bound instead of sleeps.
class Recorder {
  public:
    void snapshot(std::shared_ptr<const FlagSnapshot> flags) {
        const std::lock_guard lock(mutex_);
        snapshots_.push_back(std::move(flags));
        changed_.notify_all();
    }
    void error(const Error& error) {
        const std::lock_guard lock(mutex_);
        errors_.push_back(error.message);
        changed_.notify_all();
    }
    bool wait_snapshots(std::size_t count) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, kPatience, [&] { return snapshots_.size() >= count; });
    }
    bool wait_errors(std::size_t count) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, kPatience, [&] { return errors_.size() >= count; });
    }
    std::size_t snapshot_count() {
        const std::lock_guard lock(mutex_);
        return snapshots_.size();
    }
    std::vector<std::string> errors() {
        const std::lock_guard lock(mutex_);
        return errors_;
    }
    std::optional<Stage> last_acme_stage() {
        const std::lock_guard lock(mutex_);
        if (snapshots_.empty()) return std::nullopt;
        const auto entry = snapshots_.back()->find("acme");
        return entry ? std::optional<Stage>{entry->stage} : std::nullopt;
    }

    std::size_t last_tenant_count() {
        const std::lock_guard lock(mutex_);
        return snapshots_.empty() ? 0 : snapshots_.back()->tenant_count();
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::shared_ptr<const FlagSnapshot>> snapshots_;
    std::vector<std::string> errors_;
};

class FileSourceTest : public testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "switchyard-flags-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        directory_ = pattern;
        path_ = directory_ / "flags.json";
    }
    void TearDown() override { fs::remove_all(directory_); }

    void write_in_place(std::string_view text) {
        std::ofstream out(path_, std::ios::trunc);
        out << text;
    }
    // What editors do: write a temp file, then rename it over the original.
    void write_by_rename(std::string_view text) {
        const auto temp = directory_ / ".flags.json.swp";
        {
            std::ofstream out(temp, std::ios::trunc);
            out << text;
        }
        fs::rename(temp, path_);
    }
    std::unique_ptr<FileSource> make_source(
        std::chrono::milliseconds poll_interval,
        FileSource::Watch watch = FileSource::Watch::inotify_and_poll) {
        return std::make_unique<FileSource>(
            path_, poll_interval,
            [this](auto flags, const FileIdentity&) { recorder_.snapshot(std::move(flags)); },
            [this](const Error& error) { recorder_.error(error); }, watch);
    }
    bool wait_checks(const FileSource& source, std::uint64_t count) {
        const auto deadline = std::chrono::steady_clock::now() + kPatience;
        while (source.checks() < count) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(5ms);
        }
        return true;
    }

    fs::path directory_;
    fs::path path_;
    Recorder recorder_;
};

TEST_F(FileSourceTest, LoadNowPublishesAGoodDocument) {
    write_in_place(kAcmeNew);
    auto source = make_source(kNoPolling);
    const auto loaded = source->load_now();
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ((*loaded)->find("acme")->stage, Stage::new_);
    EXPECT_EQ(recorder_.snapshot_count(), 1U);
    EXPECT_EQ(recorder_.last_acme_stage(), Stage::new_);
}

TEST_F(FileSourceTest, LoadNowReturnsABadDocumentsErrorSoStartupCanRefuse) {
    write_in_place("{\n\"tenants\": {\"acme\": {\"stage\": \"nwe\"}}}");
    auto source = make_source(kNoPolling);
    const auto loaded = source->load_now();
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().message,
              path_.string() + R"(: tenants.acme.stage: unknown stage "nwe" (line 2))");
    EXPECT_EQ(recorder_.snapshot_count(), 0U);
    EXPECT_TRUE(recorder_.errors().empty());  // returned, not reported twice
}

TEST_F(FileSourceTest, LoadNowReportsAMissingFile) {
    auto source = make_source(kNoPolling);
    const auto loaded = source->load_now();
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().message, path_.string() + ": cannot open: No such file or directory");
}

TEST_F(FileSourceTest, WriteInPlaceIsPublished) {
    write_in_place(kAcmeNew);
    auto source = make_source(kNoPolling);
    ASSERT_TRUE(source->load_now().ok());
    source->start();
    write_in_place(kAcmeReads);
    ASSERT_TRUE(recorder_.wait_snapshots(2));
    EXPECT_EQ(recorder_.last_acme_stage(), Stage::reads);
}

TEST_F(FileSourceTest, AtomicRenameIsPublished) {
    write_in_place(kAcmeNew);
    auto source = make_source(kNoPolling);
    ASSERT_TRUE(source->load_now().ok());
    source->start();
    write_by_rename(kAcmeReads);
    ASSERT_TRUE(recorder_.wait_snapshots(2));
    EXPECT_EQ(recorder_.last_acme_stage(), Stage::reads);
    // The watch survives the inode change: a second rename is heard too.
    write_by_rename(kAcmeFinal);
    ASSERT_TRUE(recorder_.wait_snapshots(3));
    EXPECT_EQ(recorder_.last_acme_stage(), Stage::final_);
}

TEST_F(FileSourceTest, BadEditIsReportedAndNeverPublishedThenAFixIs) {
    write_in_place(kAcmeNew);
    auto source = make_source(kNoPolling);
    ASSERT_TRUE(source->load_now().ok());
    source->start();
    write_by_rename(kBad);
    ASSERT_TRUE(recorder_.wait_errors(1));
    EXPECT_EQ(recorder_.errors().front(),
              path_.string() + R"(: tenants.acme.stage: unknown stage "nwe" (line 1))");
    EXPECT_EQ(recorder_.snapshot_count(), 1U);
    write_by_rename(kAcmeReads);
    ASSERT_TRUE(recorder_.wait_snapshots(2));
    EXPECT_EQ(recorder_.last_acme_stage(), Stage::reads);
    EXPECT_EQ(recorder_.errors().size(), 1U);
}

// Big enough that the watcher reads and parses it in many paced steps.
std::string many_tenants(std::size_t count, std::string_view last_stage) {
    std::string text = "{\"tenants\": {\n";
    for (std::size_t i = 0; i < count; ++i) {
        text += "\"tenant-" + std::to_string(i) + "\": {\"stage\": \"";
        text += i + 1 < count ? "new" : last_stage;
        text += i + 1 < count ? "\"},\n" : "\"}\n";
    }
    return text + "}}\n";
}

TEST_F(FileSourceTest, ABigDocumentWithAProblemInItsLastEntryIsNeverPublished) {
    write_in_place(kAcmeNew);
    auto source = make_source(kNoPolling);
    ASSERT_TRUE(source->load_now().ok());
    source->start();
    write_by_rename(many_tenants(50'000, "nwe"));
    ASSERT_TRUE(recorder_.wait_errors(1));
    EXPECT_EQ(recorder_.errors().front(),
              path_.string() + R"(: tenants.tenant-49999.stage: unknown stage "nwe" (line 50001))");
    EXPECT_EQ(recorder_.snapshot_count(), 1U);
    EXPECT_EQ(recorder_.last_acme_stage(), Stage::new_);
    write_by_rename(many_tenants(50'000, "reads"));
    ASSERT_TRUE(recorder_.wait_snapshots(2));
    EXPECT_EQ(recorder_.last_tenant_count(), 50'000U);
}

// The watcher reads a document through a window of the file (text_window.hpp): a note longer
// than the window itself, in the middle of a document longer than the window, is
// still read whole and served.
TEST_F(FileSourceTest, ANoteLongerThanTheReadingWindowIsPublishedWhole) {
    write_in_place(kAcmeNew);
    auto source = make_source(kNoPolling);
    ASSERT_TRUE(source->load_now().ok());
    source->start();
    auto text = many_tenants(50'000, "reads");  // ~2 MB: the window moves along it
    const std::string note(1536 * 1024, 'n');   // longer than the whole window (1 MiB)
    const auto entry = text.find("\"tenant-30000\": {");
    ASSERT_NE(entry, std::string::npos);
    text.insert(text.find('{', entry) + 1, "\"note\": \"" + note + "\", ");
    write_by_rename(text);
    ASSERT_TRUE(recorder_.wait_snapshots(2)) << testing::PrintToString(recorder_.errors());
    EXPECT_EQ(recorder_.last_tenant_count(), 50'000U);
    const auto flags = source->load_now();
    ASSERT_TRUE(flags.ok());
    EXPECT_EQ((*flags)->find("tenant-30000")->note.size(), note.size());
    EXPECT_EQ((*flags)->find("tenant-49999")->stage, Stage::reads);
}

TEST_F(FileSourceTest, DeletionIsAnErrorAndRecreationPublishesAgain) {
    write_in_place(kAcmeNew);
    auto source = make_source(kNoPolling);
    ASSERT_TRUE(source->load_now().ok());
    source->start();
    fs::remove(path_);
    ASSERT_TRUE(recorder_.wait_errors(1));
    EXPECT_EQ(recorder_.errors().front(),
              path_.string() + ": cannot open: No such file or directory");
    // The same content coming back is news: the operator fixed what was broken.
    write_by_rename(kAcmeNew);
    ASSERT_TRUE(recorder_.wait_snapshots(2));
    EXPECT_EQ(recorder_.last_acme_stage(), Stage::new_);
}

TEST_F(FileSourceTest, UnchangedContentIsNotPublishedAgain) {
    write_in_place(kAcmeNew);
    auto source = make_source(kNoPolling);
    ASSERT_TRUE(source->load_now().ok());
    const auto checks = source->checks();
    source->start();
    write_by_rename(kAcmeNew);  // a save without edits
    ASSERT_TRUE(wait_checks(*source, checks + 1));
    EXPECT_EQ(recorder_.snapshot_count(), 1U);
    EXPECT_TRUE(recorder_.errors().empty());
}

TEST_F(FileSourceTest, PollingAloneNoticesChanges) {
    write_in_place(kAcmeNew);
    auto source = make_source(20ms, FileSource::Watch::poll_only);
    ASSERT_TRUE(source->load_now().ok());
    source->start();
    write_by_rename(kAcmeReads);
    ASSERT_TRUE(recorder_.wait_snapshots(2));
    EXPECT_EQ(recorder_.last_acme_stage(), Stage::reads);
    fs::remove(path_);
    ASSERT_TRUE(recorder_.wait_errors(1));
}

TEST_F(FileSourceTest, StartWithoutLoadNowPublishesTheCurrentFile) {
    write_in_place(kAcmeFinal);
    auto source = make_source(kNoPolling);
    source->start();
    ASSERT_TRUE(recorder_.wait_snapshots(1));
    EXPECT_EQ(recorder_.last_acme_stage(), Stage::final_);
}

// Other files' events are read and dropped; only the flag file's count (checked on the watch
// itself: through FileSource, a dropped event and a debounced one look the same).
TEST_F(FileSourceTest, DirectoryWatchHearsOnlyTheFlagFile) {
    DirectoryWatch watch(path_);
    ASSERT_TRUE(watch.valid());
    const auto wait_readable = [&] {
        pollfd fd{watch.fd(), POLLIN, 0};
        return ::poll(&fd, 1, static_cast<int>(std::chrono::milliseconds{kPatience}.count())) == 1;
    };
    std::ofstream(directory_ / "other.json") << kBad;
    ASSERT_TRUE(wait_readable());
    EXPECT_EQ(watch.drain(), DirectoryWatch::Heard::nothing);
    write_by_rename(kAcmeNew);
    ASSERT_TRUE(wait_readable());
    EXPECT_NE(watch.drain(), DirectoryWatch::Heard::nothing);
    EXPECT_EQ(watch.drain(), DirectoryWatch::Heard::nothing);  // drained: nothing left
}

// A file renamed into place is complete: the watcher reads it without waiting for more events.
// Written in place, more writes may follow: it waits for the burst to settle.
TEST_F(FileSourceTest, DirectoryWatchTellsARenameFromAWrite) {
    write_in_place(kAcmeNew);
    DirectoryWatch watch(path_);
    ASSERT_TRUE(watch.valid());
    const auto wait_readable = [&] {
        pollfd fd{watch.fd(), POLLIN, 0};
        return ::poll(&fd, 1, static_cast<int>(std::chrono::milliseconds{kPatience}.count())) == 1;
    };
    write_by_rename(kAcmeReads);
    ASSERT_TRUE(wait_readable());
    EXPECT_EQ(watch.drain(), DirectoryWatch::Heard::replaced);
    write_in_place(kAcmeFinal);
    ASSERT_TRUE(wait_readable());
    EXPECT_EQ(watch.drain(), DirectoryWatch::Heard::changed);
    // Renamed in, then written again: the last event decides.
    write_by_rename(kAcmeNew);
    write_in_place(kAcmeReads);
    ASSERT_TRUE(wait_readable());
    EXPECT_EQ(watch.drain(), DirectoryWatch::Heard::changed);
    fs::remove(path_);
    ASSERT_TRUE(wait_readable());
    EXPECT_EQ(watch.drain(), DirectoryWatch::Heard::changed);
}

TEST_F(FileSourceTest, StopIsPromptEvenWithALongPollInterval) {
    write_in_place(kAcmeNew);
    auto source = make_source(kNoPolling);
    source->start();
    ASSERT_TRUE(recorder_.wait_snapshots(1));
    const auto started = std::chrono::steady_clock::now();
    source->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
    source->stop();  // twice is fine
}

}  // namespace
}  // namespace switchyard::flags
