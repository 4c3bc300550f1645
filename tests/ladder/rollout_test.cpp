// Cohort rollbacks through the real binary: lowering the percent moves open-door tenants back
// to legacy and holds closed-door ones on new, and the log names the ones it held.
#include <sstream>

#include "ladder_fixture.hpp"

namespace switchyard::test {
namespace {

class LadderRollout : public LadderTest {};

TEST_F(LadderRollout, RolloutDecreaseMovesOpenDoorsBackAndHoldsClosedOnes) {
    ASSERT_NO_FATAL_FAILURE(launch_ladder(LadderFlags{}.rollout("new", 100)));
    // Both in the cohort; only acme writes, so only acme's door closes.
    EXPECT_EQ(side_of(send("GET", "globex")), "new");
    EXPECT_EQ(side_of(send("GET", "acme")), "new");
    ASSERT_EQ(side_of(send("POST", "acme", "req-acme-wrote")), "new");
    ASSERT_EQ(journal_events("door_closed", "acme").size(), 1u) << slurp(journal_path());

    proxy().write_flags_in_place(LadderFlags{}.rollout("new", 0).json());
    ASSERT_TRUE(reads_reach("globex", "legacy")) << proxy_log();
    EXPECT_TRUE(log_line_mentions({"held on new", "acme"})) << proxy_log();
    EXPECT_EQ(proxy_log().find("change refused"), std::string::npos) << proxy_log();

    new_.clear_requests();
    legacy_.clear_requests();
    EXPECT_EQ(side_of(send("POST", "globex")), "legacy");
    EXPECT_EQ(side_of(send("GET", "globex")), "legacy");
    EXPECT_EQ(side_of(send("POST", "acme")), "new");
    EXPECT_EQ(side_of(send("GET", "acme")), "new");
    EXPECT_EQ(received(legacy_, "globex", "POST"), 1u);
    EXPECT_EQ(received(legacy_, "globex", "GET"), 1u);
    EXPECT_EQ(received(new_, "acme", "POST"), 1u);
    EXPECT_EQ(received(new_, "acme", "GET"), 1u);
    EXPECT_EQ(received(legacy_, "acme", "POST") + received(legacy_, "acme", "GET"), 0u);
    EXPECT_EQ(received(new_, "globex", "POST") + received(new_, "globex", "GET"), 0u);
    // The held line names acme only: globex's door was open and it moved.
    std::istringstream lines(proxy_log());
    for (std::string line; std::getline(lines, line);) {
        if (line.find("held on new") != std::string::npos) {
            EXPECT_EQ(line.find("globex"), std::string::npos) << line;
        }
    }
    EXPECT_TRUE(journal_events("door_closed", "globex").empty()) << slurp(journal_path());
}

}  // namespace
}  // namespace switchyard::test
