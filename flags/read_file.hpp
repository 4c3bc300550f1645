#pragma once
// A whole file into memory in one pass (sized from fstat), with the identity of the very file
// read: the flag file can be tens of megabytes, read on every reload, and whoever applies it
// later must know whether the file is still that one.
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"

namespace switchyard::flags {

class ReloadPacer;

// Which version of a file was read: a save replaces the inode (editors, our own writes) or
// changes size or mtime (in-place writes).
struct FileIdentity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const FileIdentity&) const = default;
};

// Up to this size, a file that kept its identity is also compared byte by byte before it is
// taken for the same version: an in-place save within one mtime tick keeps inode, size and
// mtime. Above it, reading and comparing again would cost more than such a save is likely.
inline constexpr std::int64_t kCompareBytesUpTo = 1 << 20;

// An open file descriptor, closed when this is dropped.
class OpenFile {
  public:
    OpenFile() = default;
    explicit OpenFile(int fd) noexcept : fd_(fd) {}
    OpenFile(OpenFile&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    OpenFile& operator=(OpenFile&& other) noexcept;
    ~OpenFile();
    int fd() const noexcept { return fd_; }

  private:
    int fd_ = -1;
};

struct FileContent {
    std::string text;
    FileIdentity identity;  // of the very file `text` came from
    // That file, open while this lives: no other file can be given its inode meanwhile, so a
    // file at the same path with the same device and inode is this very one.
    OpenFile open;
};

// A file opened to be read, in one pass or several: the identity of the very file, open.
struct OpenedFile {
    OpenFile open;
    FileIdentity identity;
};
// Errors say "cannot open: <reason>" or "cannot stat: …" (no path: the caller names the file).
Result<OpenedFile> open_for_reading(const std::filesystem::path& path);

// Reads up to `bytes` of the file at `offset` into `into` (pread, through short reads and
// EINTR): fewer only at the end of the file. Errors say "cannot read: <reason>".
Result<std::size_t> read_at(int fd, char* into, std::size_t bytes, std::uint64_t offset);

// Reads the file from its start to its end (pread: the descriptor's offset is left alone) and
// shows the text to `on_block` as it goes: whole blocks of `block_bytes` in order, then the
// last, shorter one; each block's view is valid during the call only. With a pacer, a pause
// point after each block. Errors say "cannot read: <reason>".
using BlockVisitor = std::function<void(std::string_view block)>;
Result<bool> read_blocks(int fd, std::size_t block_bytes, ReloadPacer* pacer,
                         const BlockVisitor& on_block);

// The bytes, or why not (the errors above).
Result<FileContent> read_whole_file(const std::filesystem::path& path);

FileIdentity identity_of(const struct stat& info) noexcept;
// What the file at `path` is now; nothing when there is none (or it cannot be looked at).
std::optional<FileIdentity> identity_of_file(const std::filesystem::path& path);

}  // namespace switchyard::flags
