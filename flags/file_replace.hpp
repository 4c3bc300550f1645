#pragma once
// Replacing a whole file so that a crash leaves the old or the new version (temp file, fsync,
// rename, fsync the directory), and replacing it only if nobody saved it since we read it, so
// an admin change and a hand edit of the flag file never lose each other's work.
#include <cstdint>
#include <filesystem>
#include <string>

#include "common/result.hpp"

namespace switchyard::flags {

// Which version of a file was read: a save replaces the inode (editors, our own writes) or
// changes size or mtime (in-place writes).
struct FileIdentity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const FileIdentity&) const = default;
};

struct FileContent {
    std::string text;
    FileIdentity identity;  // of the very file `text` came from
};

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
