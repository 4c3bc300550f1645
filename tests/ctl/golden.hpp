#pragma once
// Golden files for the CLI's output: what a command printed, its exit code, and the command
// itself, compared with tests/ctl/golden/NAME.txt once the parts that vary from run to run
// (times, request ids, versions, ports, temporary directories) are placeholders.
// SWITCHYARD_UPDATE_GOLDEN=1 rewrites the files instead of comparing.
#include <string>
#include <vector>

#include "subprocess.hpp"

namespace switchyard::test {

struct GoldenOptions {
    // Also hide latencies, ratios and uptimes, and fold runs of spaces: for `stats`, whose
    // numbers (and so column widths) differ every run.
    bool latencies = false;
};

// Placeholders for what varies; each keeps the width of what it replaces where a table
// column could depend on it.
std::string normalise(const std::string& text, const GoldenOptions& options = {});

// "$ switchyard ctl ARGS\nexit N\n--- stdout\n…--- stderr\n…", normalised.
std::string golden_text(const std::vector<std::string>& args, const ProcessResult& result,
                        const GoldenOptions& options = {});

bool updating_golden_files();

// Compares with (or, when updating, writes) golden/NAME.txt; a gtest failure on a difference.
void expect_golden(const std::string& name, const std::string& actual);

}  // namespace switchyard::test
