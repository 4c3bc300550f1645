// The `reads` stage through the real binary: safe methods to new, unsafe ones to legacy, and
// read-your-writes: a tenant's reads stay on legacy for the window after its write.
#include "ladder_fixture.hpp"

namespace switchyard::test {
namespace {

using Clock = std::chrono::steady_clock;

class LadderReads : public LadderTest {};

TEST_F(LadderReads, ReadsStageSendsReadsToNewAndWritesToLegacy) {
    // A window of 0 turns read-your-writes off: each method shows its own side.
    ASSERT_NO_FATAL_FAILURE(launch_ladder(LadderFlags{}.tenant("acme", "reads"), 0));

    const auto read = send("GET", "acme");
    const auto head = send("HEAD", "acme");
    const auto write = send("POST", "acme");
    const auto update = send("PUT", "acme");
    const auto read_again = send("GET", "acme");

    EXPECT_EQ(read.status, 200) << read.describe();
    EXPECT_EQ(side_of(read), "new");
    EXPECT_EQ(side_of(head), "new");
    EXPECT_EQ(write.status, 200) << write.describe();
    EXPECT_EQ(side_of(write), "legacy");
    EXPECT_EQ(side_of(update), "legacy");
    EXPECT_EQ(side_of(read_again), "new");
    // What the origins saw: the writes, bodies included, only on legacy; the reads only on new.
    EXPECT_EQ(received(new_, "acme", "GET"), 2u);
    EXPECT_EQ(received(new_, "acme", "HEAD"), 1u);
    EXPECT_EQ(received(new_, "acme", "POST") + received(new_, "acme", "PUT"), 0u);
    EXPECT_EQ(received(legacy_, "acme", "POST"), 1u);
    EXPECT_EQ(received(legacy_, "acme", "PUT"), 1u);
    EXPECT_EQ(received(legacy_, "acme", "GET"), 0u);
    EXPECT_EQ(legacy_.requests().front().body, "order=acme");
    // Writes served by legacy close no door.
    EXPECT_TRUE(journal_events("door_closed", "acme").empty()) << slurp(journal_path());
}

TEST_F(LadderReads, ReadsAfterAWriteGoToLegacyForTheWindow) {
    constexpr auto kWindow = 1500ms;
    ASSERT_NO_FATAL_FAILURE(launch_ladder(
        LadderFlags{}.tenant("acme", "reads").tenant("globex", "reads"), kWindow.count()));

    ASSERT_EQ(side_of(send("GET", "acme")), "new");
    const auto write_sent = Clock::now();
    ASSERT_EQ(side_of(send("POST", "acme")), "legacy");
    const auto read_after = send("GET", "acme");
    const auto other_tenant = send("GET", "globex");
    const auto read_after_answered = Clock::now();
    // The window is per tenant: globex never wrote.
    EXPECT_EQ(side_of(other_tenant), "new");
    ASSERT_LT(read_after_answered - write_sent, kWindow) << "too slow to observe the window";
    EXPECT_EQ(side_of(read_after), "legacy") << read_after.describe();
    EXPECT_EQ(received(legacy_, "acme", "GET"), 1u);

    // Once the window has passed, reads go back to new, and not before.
    Clock::time_point back_on_new;
    ASSERT_TRUE(wait_until(
        [&] {
            const bool on_new = side_of(send("GET", "acme")) == "new";
            back_on_new = Clock::now();
            return on_new;
        },
        kWindow + 5s, 50ms));
    EXPECT_GE(back_on_new - write_sent, kWindow);
    EXPECT_EQ(new_.last_request().headers.value_or_empty("X-Tenant-Id"), "acme");
    EXPECT_EQ(new_.last_request().method, "GET");
    EXPECT_EQ(received(new_, "acme", "POST"), 0u);
}

}  // namespace
}  // namespace switchyard::test
