#include "ctl/exit_codes.hpp"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::ctl {
namespace {

struct Case {
    unsigned status;
    const char* error;
    int expected;
};

class ExitCodeFor : public ::testing::TestWithParam<Case> {};

TEST_P(ExitCodeFor, MapsTheAnswerToTheDocumentedCode) {
    const auto& c = GetParam();
    EXPECT_EQ(to_int(exit_code_for(c.status, c.error)), c.expected) << c.status << " " << c.error;
}

INSTANTIATE_TEST_SUITE_P(
    Answers, ExitCodeFor,
    ::testing::Values(Case{200, "", 0}, Case{204, "", 0}, Case{401, "unauthorized", 4},
                      Case{403, "forbidden", 4}, Case{404, "not_pinned", 5},
                      Case{404, "not_found", 5}, Case{409, "door_closed", 6},
                      Case{409, "final_tenant", 6}, Case{409, "flags_invalid", 8},
                      Case{412, "precondition_failed", 7}, Case{400, "reason_required", 8},
                      Case{405, "method_not_allowed", 8}, Case{413, "payload_too_large", 8},
                      Case{500, "internal", 1}, Case{503, "journal_unavailable", 1},
                      Case{302, "", 1}, Case{100, "", 1}));

TEST(ExitCodes, NumbersNeverChange) {
    // Scripts act on these numbers: renumbering one breaks them silently.
    EXPECT_EQ(to_int(ExitCode::ok), 0);
    EXPECT_EQ(to_int(ExitCode::failure), 1);
    EXPECT_EQ(to_int(ExitCode::usage), 2);
    EXPECT_EQ(to_int(ExitCode::connection_failed), 3);
    EXPECT_EQ(to_int(ExitCode::unauthorized), 4);
    EXPECT_EQ(to_int(ExitCode::not_found), 5);
    EXPECT_EQ(to_int(ExitCode::refused_by_door), 6);
    EXPECT_EQ(to_int(ExitCode::precondition_failed), 7);
    EXPECT_EQ(to_int(ExitCode::client_error), 8);
}

TEST(ExitCodes, HelpListsEveryCode) {
    const std::string help(exit_code_help());
    for (int code = 0; code <= 8; ++code) {
        EXPECT_NE(help.find("  " + std::to_string(code) + "  "), std::string::npos) << code;
    }
}

}  // namespace
}  // namespace switchyard::ctl
