// The door journal when the disk misbehaves: a torn last line left by a crash is reported and
// cut, keeping every closing before it; a journal that cannot grow turns a first write into a
// 503 that reaches no origin, and the door closes once the disk has room again.
#include <sched.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "ladder_fixture.hpp"

namespace switchyard::test {
namespace {

class LadderJournal : public LadderTest {};

TEST_F(LadderJournal, TornJournalTailIsReportedAndEarlierClosingsKept) {
    const std::string good =
        R"({"event":"door_closed","tenant":"acme","unix_ms":1763892902000,)"
        R"("request_id":"req-before-the-crash","instance":"ladder-proxy-0","method":"POST",)"
        R"("path":"/orders"})"
        "\n";
    const std::string torn = R"({"event":"door_closed","tenant":"glo)";
    std::ofstream(journal_path(), std::ios::binary) << good << torn;
    ASSERT_NO_FATAL_FAILURE(
        launch_ladder(LadderFlags{}.tenant("acme", "new").tenant("globex", "new")));

    EXPECT_TRUE(log_line_mentions({"doors:", "doors.jsonl", "line 2", "incomplete"}))
        << proxy_log();
    EXPECT_TRUE(log_line_mentions({"doors: 1 closed"})) << proxy_log();
    EXPECT_EQ(slurp(journal_path()), good) << "the torn tail was not cut";

    // acme's closing before the torn line still holds it on new.
    proxy().write_flags_in_place(
        LadderFlags{}.tenant("acme", "legacy").tenant("globex", "new").json());
    EXPECT_TRUE(log_line_mentions({"change refused", "tenants.acme", "req-before-the-crash"}))
        << proxy_log();
    EXPECT_EQ(side_of(send("POST", "acme")), "new");
    EXPECT_EQ(side_of(send("GET", "acme")), "new");
    EXPECT_EQ(legacy_.request_count(), 0u);
    EXPECT_EQ(journal_events("door_closed", "acme").size(), 1u);

    // globex's closing was the torn one, so its door is open: its first write closes it anew,
    // on a line of its own.
    EXPECT_EQ(side_of(send("POST", "globex", "req-globex-again")), "new");
    const auto lines = journal_lines();
    ASSERT_EQ(lines.size(), 2u) << slurp(journal_path());
    EXPECT_EQ(lines[1].value("tenant", ""), "globex");
    EXPECT_EQ(lines[1].value("request_id", ""), "req-globex-again");
    EXPECT_EQ(received(new_, "globex", "POST"), 1u);
}

// Root ignores file permissions, so the honest way to refuse a write is a full disk: state_dir
// becomes a 64 KiB tmpfs, mounted in a mount namespace of this test's own (gone with it).
class LadderFullDisk : public LadderTest {
  protected:
    void TearDown() override {
        proxy_.reset();  // the proxy holds the journal open
        if (mounted_) ::umount2(state_dir_.c_str(), MNT_DETACH);
        LadderTest::TearDown();
    }
    // Empty when mounted, else why not.
    std::string mount_small_state_dir() {
        if (::unshare(CLONE_NEWNS) != 0) return std::string("unshare: ") + std::strerror(errno);
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
            return std::string("mount --make-rprivate /: ") + std::strerror(errno);
        }
        if (::mount("tmpfs", state_dir_.c_str(), "tmpfs", 0, "size=64k") != 0) {
            return std::string("mount tmpfs: ") + std::strerror(errno);
        }
        mounted_ = true;
        return {};
    }
    // Writes a filler file until the disk is full; the error that stopped it.
    int fill_state_dir() {
        std::FILE* filler = std::fopen((state_dir_ / "filler").c_str(), "wb");
        if (!filler) return errno;
        const std::string block(4096, 'x');
        int error = 0;
        for (int i = 0; i < 1024 && error == 0; ++i) {
            if (std::fwrite(block.data(), 1, block.size(), filler) != block.size() ||
                std::fflush(filler) != 0) {
                error = errno;
            }
        }
        std::fclose(filler);
        return error;
    }

    bool mounted_ = false;
};

TEST_F(LadderFullDisk, DoorJournalUnwritableAnswers503AndForwardsNothing) {
    if (const auto why = mount_small_state_dir(); !why.empty()) {
        GTEST_SKIP() << "needs a tmpfs mount (CAP_SYS_ADMIN) to fill state_dir: " << why;
    }
    ASSERT_NO_FATAL_FAILURE(launch_ladder(LadderFlags{}.tenant("acme", "new")));
    ASSERT_EQ(fill_state_dir(), ENOSPC);

    const auto refused = send("POST", "acme", "req-disk-full");
    EXPECT_EQ(refused.status, 503) << refused.describe();
    EXPECT_NE(refused.body.find("door_not_durable"), std::string::npos) << refused.describe();
    EXPECT_EQ(new_.request_count(), 0u);
    EXPECT_EQ(legacy_.request_count(), 0u);
    EXPECT_EQ(slurp(journal_path()), "") << "a failed append left bytes behind";
    EXPECT_TRUE(wait_until(
        [&] {
            return proxy().read_file("access.log").find("door_not_durable") != std::string::npos;
        },
        5s))
        << proxy().read_file("access.log");
    // Reads need no door: they still reach new.
    EXPECT_EQ(side_of(send("GET", "acme")), "new");

    // Room again: the next first write closes the door and goes through.
    std::filesystem::remove(state_dir_ / "filler");
    const auto accepted = send("POST", "acme", "req-disk-has-room");
    EXPECT_EQ(accepted.status, 200) << accepted.describe();
    EXPECT_EQ(side_of(accepted), "new");
    EXPECT_EQ(received(new_, "acme", "POST"), 1u);
    EXPECT_EQ(new_.last_request().headers.value_or_empty("X-Request-Id"), "req-disk-has-room");
    const auto closings = journal_events("door_closed", "acme");
    ASSERT_EQ(closings.size(), 1u) << slurp(journal_path());
    EXPECT_EQ(closings[0].value("request_id", ""), "req-disk-has-room");
}

}  // namespace
}  // namespace switchyard::test
