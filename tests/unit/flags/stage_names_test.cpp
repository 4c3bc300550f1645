// Stage names as flag documents, the admin API and switchyardctl write them.
#include <gtest/gtest.h>

#include "common/stage.hpp"

namespace switchyard {
namespace {

TEST(StageNames, EveryStageReadsBackFromItsName) {
    for (const Stage stage :
         {Stage::legacy, Stage::shadow, Stage::reads, Stage::new_, Stage::final_}) {
        EXPECT_EQ(parse_stage(to_string(stage)), stage) << to_string(stage);
    }
}

TEST(StageNames, ANearMissIsNoStage) {
    for (const char* text :
         {"", "ne", "neww", "New", "NEW", "nex", "legac", "legacyy", "lagacy", "shadov", "read",
          "readss", "final ", " final", "fina1", "newlegacy"}) {
        EXPECT_EQ(parse_stage(text), std::nullopt) << '"' << text << '"';
    }
}

}  // namespace
}  // namespace switchyard
