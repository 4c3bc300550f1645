#pragma once
// A whole file into memory in one pass (sized from fstat, read in 64 KiB steps): the flag file
// can be tens of megabytes, read on every reload.
#include <filesystem>
#include <string>

#include "common/result.hpp"

namespace switchyard::flags {

// The bytes, or why not: "cannot open: <reason>" / "cannot read: <reason>" (no path: the
// caller names the file).
Result<std::string> read_whole_file(const std::filesystem::path& path);

}  // namespace switchyard::flags
