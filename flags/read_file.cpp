#include "flags/read_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "flags/paced_pages.hpp"
#include "flags/reload_pacer.hpp"

namespace switchyard::flags {
namespace {

std::string system_error(std::string_view what) {
    return std::string{what} + ": " + std::strerror(errno);
}

// Until end of file, in 64 KiB reads: each a step short enough for a pacer (a copy and the
// page faults of the room it fills).
Result<bool> read_all(int fd, std::string& text, ReloadPacer* pacer, const BlockVisitor& on_block,
                      std::size_t block_bytes) {
    char buffer[64 * 1024];
    std::size_t visited = 0;
    for (;;) {
        const ssize_t length = ::read(fd, buffer, sizeof buffer);
        if (length < 0 && errno == EINTR) continue;
        if (length < 0) return Error{system_error("cannot read")};
        text.append(buffer, static_cast<std::size_t>(length));
        const std::string_view read{text};
        for (; on_block && read.size() - visited >= block_bytes; visited += block_bytes) {
            on_block(read.substr(visited, block_bytes));
        }
        if (length == 0) {
            if (on_block && visited < read.size()) on_block(read.substr(visited));
            return true;
        }
        if (pacer) pacer->pause_point();
    }
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

Result<FileContent> read_whole_file(const std::filesystem::path& path, ReloadPacer* pacer,
                                    const BlockVisitor& on_block, std::size_t block_bytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error{system_error("cannot open")};
    FileContent content;
    content.open = OpenFile{fd};
    struct stat info {};
    if (::fstat(fd, &info) != 0) return Error{system_error("cannot stat")};
    content.identity = identity_of(info);
    if (info.st_size > 0) {
        content.text.reserve(static_cast<std::size_t>(info.st_size));
        populate(content.text.data(), content.text.capacity(), pacer);
    }
    if (auto read = read_all(fd, content.text, pacer, on_block, block_bytes); !read)
        return read.error();
    return content;
}

std::optional<FileIdentity> identity_of_file(const std::filesystem::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return std::nullopt;
    return identity_of(info);
}

}  // namespace switchyard::flags
