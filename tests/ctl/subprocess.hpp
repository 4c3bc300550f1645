#pragma once
// Runs a program to its end and captures what it wrote: for tests that run `switchyard ctl` and
// `switchyard token add` the way an operator's shell would. Bounded: a program still running
// at the deadline is killed.
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace switchyard::test {

struct ProcessRun {
    std::vector<std::string> argv;
    // Added to (or replacing) the test's environment; SWITCHYARD_* of the test's own
    // environment are never passed on, so a developer's settings cannot leak into a test.
    std::map<std::string, std::string> environment;
    std::string stdin_text;
    std::chrono::milliseconds timeout{20000};
};

struct ProcessResult {
    int exit_code = -1;  // 128 + N when killed by signal N
    bool timed_out = false;
    std::string out;
    std::string err;
};

ProcessResult run_process(const ProcessRun& run);

}  // namespace switchyard::test
