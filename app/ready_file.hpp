#pragma once
// Tells a supervisor or a test where switchyard listens once it does: written atomically
// (temp file + rename) after every listener is bound, so a reader never sees half of it.
#include <filesystem>
#include <string>
#include <vector>

namespace switchyard::app {

// `admin` empty: no admin listener.
void write_ready_file(const std::filesystem::path& path, const std::vector<std::string>& listen,
                      const std::string& admin);

}  // namespace switchyard::app
