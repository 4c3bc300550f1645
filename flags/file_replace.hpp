#pragma once
// Replacing a whole file so that a crash leaves the old or the new version (temp file, fsync,
// rename, fsync the directory), and replacing it only if nobody saved it since we read it, so
// an admin change and a hand edit of the flag file never lose each other's work.
#include <cstdint>
#include <filesystem>
#include <string>

#include "common/result.hpp"
#include "flags/read_file.hpp"

namespace switchyard::flags {

// read_whole_file(), its errors naming the file.
Result<FileContent> read_file_content(const std::filesystem::path& path);

Result<bool> write_file_atomically(const std::filesystem::path& path, const std::string& text);

// Writes `text` over `path` if the file there is still the one `read` came from; otherwise
// changes nothing and returns false (read it again and redo the change). On Linux filesystems
// that can exchange two names atomically (ext4, xfs, btrfs, tmpfs) there is no window in
// which a save can be lost and the file is never missing; elsewhere the check runs just before
// a plain rename, which leaves a window of microseconds.
Result<bool> replace_file_if_unchanged(const std::filesystem::path& path, const std::string& text,
                                       const FileContent& read);

}  // namespace switchyard::flags
