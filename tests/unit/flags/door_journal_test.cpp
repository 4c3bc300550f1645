#include "flags/door_journal.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

namespace switchyard::flags {
namespace {

namespace fs = std::filesystem;

class DoorJournalTest : public testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("door-journal-" + std::to_string(::getpid()) + "-" +
                testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        file_ = dir_ / "doors.jsonl";
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string contents() const {
        std::ifstream in(file_);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }
    std::unique_ptr<DoorJournal> open_journal() {
        auto journal = DoorJournal::open(file_, "test-instance", nullptr);
        EXPECT_TRUE(journal) << (journal ? "" : journal.error().message);
        return journal ? std::move(journal.value()) : nullptr;
    }
    static DoorClosing closing(std::string tenant) {
        return DoorClosing{std::move(tenant), 1700000000000, "req-1", "", "POST", "/orders"};
    }
    // Closes and waits; returns the journal's contents as seen at the moment `done` ran.
    std::string close_and_wait(DoorJournal& journal, const std::string& tenant) {
        std::promise<std::string> seen;
        journal.close_before_forwarding(closing(tenant), [&](const Error* error) {
            seen.set_value(error ? "error: " + error->message : contents());
        });
        auto future = seen.get_future();
        EXPECT_EQ(future.wait_for(std::chrono::seconds(5)), std::future_status::ready);
        return future.get();
    }

    fs::path dir_;
    fs::path file_;
};

TEST_F(DoorJournalTest, ClosingIsOnDiskBeforeTheRequestMayProceed) {
    auto journal = open_journal();
    const auto at_done = close_and_wait(*journal, "acme");
    EXPECT_NE(at_done.find("\"tenant\":\"acme\""), std::string::npos) << at_done;
    EXPECT_NE(at_done.find("\"request_id\":\"req-1\""), std::string::npos);
    EXPECT_NE(at_done.find("\"instance\":\"test-instance\""), std::string::npos);
    EXPECT_TRUE(journal->doors()->closed("acme"));
    EXPECT_FALSE(journal->doors()->closed("globex"));
}

TEST_F(DoorJournalTest, ConcurrentFirstWritesOfOneTenantShareOneAppend) {
    auto journal = open_journal();
    constexpr int kWriters = 16;
    std::atomic<int> done{0};
    std::vector<std::thread> writers;
    for (int i = 0; i < kWriters; ++i) {
        writers.emplace_back([&] {
            journal->close_before_forwarding(closing("acme"), [&](const Error* error) {
                EXPECT_EQ(error, nullptr);
                ++done;
            });
        });
    }
    for (auto& w : writers) w.join();
    for (int i = 0; i < 500 && done < kWriters; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(done, kWriters);
    const auto text = contents();
    std::size_t lines = 0;
    for (char c : text) lines += c == '\n';
    EXPECT_EQ(lines, 1u) << text;
}

TEST_F(DoorJournalTest, LaterWritesAnswerAtOnceWithoutAppending) {
    auto journal = open_journal();
    close_and_wait(*journal, "acme");
    const auto size_before = fs::file_size(file_);
    bool answered_inline = false;
    journal->close_before_forwarding(closing("acme"),
                                     [&](const Error* error) { answered_inline = !error; });
    EXPECT_TRUE(answered_inline);  // ran on this thread, before returning
    EXPECT_EQ(fs::file_size(file_), size_before);
}

TEST_F(DoorJournalTest, ClosedDoorsSurviveReopening) {
    {
        auto journal = open_journal();
        close_and_wait(*journal, "acme");
        close_and_wait(*journal, "initech");
    }
    auto journal = open_journal();
    EXPECT_TRUE(journal->doors()->closed("acme"));
    EXPECT_TRUE(journal->doors()->closed("initech"));
    EXPECT_EQ(journal->doors()->find("acme")->method, "POST");
    EXPECT_TRUE(journal->warnings().empty());
}

TEST_F(DoorJournalTest, TornLastLineIsReportedAndTheClosingsBeforeItKept) {
    {
        auto journal = open_journal();
        close_and_wait(*journal, "acme");
    }
    {
        std::ofstream out(file_, std::ios::app);
        out << R"({"event":"door_closed","tenant":"glo)";  // a crash mid-write
    }
    auto journal = open_journal();
    ASSERT_EQ(journal->warnings().size(), 1u);
    EXPECT_NE(journal->warnings()[0].find("line 2"), std::string::npos) << journal->warnings()[0];
    EXPECT_TRUE(journal->doors()->closed("acme"));
    EXPECT_FALSE(journal->doors()->closed("glo"));
    // The torn bytes are cut, so the next closing starts on its own line and reloads.
    close_and_wait(*journal, "globex");
    journal.reset();
    auto reopened = open_journal();
    EXPECT_TRUE(reopened->warnings().empty());
    EXPECT_TRUE(reopened->doors()->closed("globex"));
    EXPECT_TRUE(reopened->doors()->closed("acme"));
}

TEST_F(DoorJournalTest, DamageBeforeTheLastLineRefusesToOpen) {
    {
        std::ofstream out(file_);
        out << "{not json}\n"
            << R"({"event":"door_closed","tenant":"acme"})"
            << "\n";
    }
    auto journal = DoorJournal::open(file_, "x", nullptr);
    ASSERT_FALSE(journal);
    EXPECT_NE(journal.error().message.find("line 1"), std::string::npos);
}

TEST_F(DoorJournalTest, ForcedMovesAreJournaledWithTheirReason) {
    auto journal = open_journal();
    ASSERT_TRUE(
        journal->record_forced_move({"acme", "new", "legacy", "data restored", "flag-file"}));
    const auto text = contents();
    EXPECT_NE(text.find("\"event\":\"forced_move\""), std::string::npos);
    EXPECT_NE(text.find("\"reason\":\"data restored\""), std::string::npos);
    journal.reset();
    EXPECT_TRUE(open_journal()->warnings().empty());
}

TEST_F(DoorJournalTest, ForcedMoveReopensTheDoorAndItCanCloseAgain) {
    auto journal = open_journal();
    close_and_wait(*journal, "acme");
    ASSERT_TRUE(journal->record_forced_move({"acme", "new", "legacy", "restored", "flag-file"}));
    EXPECT_FALSE(journal->doors()->closed("acme"));
    journal.reset();
    journal = open_journal();
    EXPECT_FALSE(journal->doors()->closed("acme"));  // the reopening survives a restart
    close_and_wait(*journal, "acme");
    journal.reset();
    EXPECT_TRUE(open_journal()->doors()->closed("acme"));
}

TEST_F(DoorJournalTest, PublishesEachNewDoorSet) {
    std::atomic<std::size_t> published{0};
    auto journal = DoorJournal::open(
        file_, "x", [&](std::shared_ptr<const DoorSet> doors) { published = doors->size(); });
    ASSERT_TRUE(journal);
    close_and_wait(**journal, "acme");
    EXPECT_EQ(published, 1u);
}

TEST(DoorSet, ManyClosingsStayFindableAcrossMerges) {
    auto doors = std::make_shared<const DoorSet>();
    for (int i = 0; i < 3000; ++i) {
        doors = doors->with({DoorClosing{"t" + std::to_string(i), i, "", "", "", ""}});
    }
    EXPECT_EQ(doors->size(), 3000u);
    for (int i = 0; i < 3000; ++i) ASSERT_TRUE(doors->closed("t" + std::to_string(i))) << i;
    EXPECT_FALSE(doors->closed("t3000"));
    // First closing wins: a second one for the same tenant changes nothing.
    doors = doors->with({DoorClosing{"t1", 999999, "other", "", "", ""}});
    EXPECT_EQ(doors->find("t1")->unix_ms, 1);
}

}  // namespace
}  // namespace switchyard::flags
