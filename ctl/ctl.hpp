#pragma once
// `switchyard ctl …`: the on-call CLI over the admin API. app/main.cpp hands it the command line
// with "ctl" as the program name; the return value is the process's exit code (exit_codes.hpp).
#include <iosfwd>

namespace switchyard {

int run_ctl(int argc, char** argv);

// The same with the streams given: for tests that run the CLI in-process.
int run_ctl(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace switchyard
