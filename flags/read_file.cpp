#include "flags/read_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <vector>

#include "flags/reload_pacer.hpp"

namespace switchyard::flags {
namespace {

std::string system_error(std::string_view what) {
    return std::string{what} + ": " + std::strerror(errno);
}

}  // namespace

OpenFile& OpenFile::operator=(OpenFile&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

OpenFile::~OpenFile() {
    if (fd_ >= 0) ::close(fd_);
}

FileIdentity identity_of(const struct stat& info) noexcept {
    return {static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino),
            static_cast<std::int64_t>(info.st_size),
            static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec};
}

Result<OpenedFile> open_for_reading(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error{system_error("cannot open")};
    OpenedFile file{OpenFile{fd}, {}};
    struct stat info {};
    if (::fstat(fd, &info) != 0) return Error{system_error("cannot stat")};
    file.identity = identity_of(info);
    return file;
}

Result<std::size_t> read_at(int fd, char* into, std::size_t bytes, std::uint64_t offset) {
    std::size_t filled = 0;
    while (filled < bytes) {
        const ssize_t length =
            ::pread(fd, into + filled, bytes - filled, static_cast<off_t>(offset + filled));
        if (length < 0 && errno == EINTR) continue;
        if (length < 0) return Error{system_error("cannot read")};
        if (length == 0) break;  // the end of the file
        filled += static_cast<std::size_t>(length);
    }
    return filled;
}

Result<bool> read_blocks(int fd, std::size_t block_bytes, ReloadPacer* pacer,
                         const BlockVisitor& on_block) {
    // Small enough to stay in cache between the copy from the kernel and the visit.
    std::vector<char> block(block_bytes);
    for (std::uint64_t offset = 0;;) {
        const auto filled = read_at(fd, block.data(), block.size(), offset);
        if (!filled) return filled.error();
        if (*filled > 0) on_block({block.data(), *filled});
        if (*filled < block.size()) return true;  // the end of the file
        offset += *filled;
        if (pacer) pacer->pause_point();
    }
}

Result<FileContent> read_whole_file(const std::filesystem::path& path) {
    auto file = open_for_reading(path);
    if (!file) return file.error();
    FileContent content;
    content.identity = file->identity;
    content.text.reserve(static_cast<std::size_t>(file->identity.size));
    constexpr std::size_t kBlockBytes = 64 * 1024;
    auto read = read_blocks(file->open.fd(), kBlockBytes, nullptr,
                            [&](std::string_view block) { content.text.append(block); });
    if (!read) return read.error();
    content.open = std::move(file->open);
    return content;
}

std::optional<FileIdentity> identity_of_file(const std::filesystem::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return std::nullopt;
    return identity_of(info);
}

}  // namespace switchyard::flags
