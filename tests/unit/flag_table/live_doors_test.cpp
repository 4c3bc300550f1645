// The door set this instance routes by: a poll that read the table just before this instance
// closed a door never drops that closing; a reopening read after it does.
#include "flag_table/live_doors.hpp"

#include <gtest/gtest.h>

namespace switchyard::flag_table {
namespace {

flags::DoorClosing closing(const std::string& tenant, const std::string& request = "r") {
    return {tenant, 1, request, "proxy-1", "POST", "/"};
}

class LiveDoorsTest : public ::testing::Test {
  protected:
    LiveDoors doors_{[this](std::shared_ptr<const flags::FlagSnapshot> flags,
                            std::shared_ptr<const flags::DoorSet> doors) {
        ++publications_;
        if (flags) last_flags_ = flags;
        last_doors_ = doors;
    }};
    int publications_ = 0;
    std::shared_ptr<const flags::FlagSnapshot> last_flags_;
    std::shared_ptr<const flags::DoorSet> last_doors_;
};

TEST_F(LiveDoorsTest, ALoadKeepsThisInstancesNewerClosings) {
    doors_.add({closing("mine")}, 12);
    const auto flags = std::make_shared<const flags::FlagSnapshot>();
    doors_.replace(flags, {closing("theirs")}, 10);  // read before seq 12
    EXPECT_TRUE(last_doors_->closed("mine"));
    EXPECT_TRUE(last_doors_->closed("theirs"));
    EXPECT_EQ(last_flags_, flags);
}

TEST_F(LiveDoorsTest, ALoadPastAClosingTrustsTheTable) {
    doors_.add({closing("mine")}, 12);
    doors_.replace(std::make_shared<const flags::FlagSnapshot>(), {}, 13);  // reopened at 13
    EXPECT_FALSE(last_doors_->closed("mine"));
}

TEST_F(LiveDoorsTest, AnOlderReopeningDoesNotUndoANewerClosing) {
    doors_.add({closing("acme", "first")}, 3);
    Delta reopened;
    reopened.seq = 5;  // a forced move at 5, and this instance closed it again at 6
    reopened.doors_reopened = {"acme"};
    doors_.add({closing("acme", "again")}, 6);
    doors_.apply(nullptr, reopened);
    EXPECT_TRUE(doors_.closed("acme"));

    Delta later;
    later.seq = 7;
    later.doors_reopened = {"acme"};  // forced again at 7: now it is open
    doors_.apply(nullptr, later);
    EXPECT_FALSE(doors_.closed("acme"));
}

TEST_F(LiveDoorsTest, ADeltaPublishesOnlyWhatChanged) {
    Delta nothing;
    nothing.seq = 1;
    doors_.apply(nullptr, nothing);
    EXPECT_EQ(publications_, 0);
    Delta closed;
    closed.seq = 2;
    closed.doors_closed = {closing("globex")};
    doors_.apply(nullptr, closed);
    EXPECT_EQ(publications_, 1);
    EXPECT_TRUE(last_doors_->closed("globex"));
    EXPECT_EQ(last_doors_->find("globex")->request_id, "r");
}

}  // namespace
}  // namespace switchyard::flag_table
