#include "flags/read_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

namespace switchyard::flags {
namespace {

std::string system_error(std::string_view what) {
    return std::string{what} + ": " + std::strerror(errno);
}

}  // namespace

Result<std::string> read_whole_file(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error{system_error("cannot open")};
    std::string content;
    struct stat info {};
    if (::fstat(fd, &info) == 0 && info.st_size > 0) {
        content.reserve(static_cast<std::size_t>(info.st_size));
    }
    char buffer[64 * 1024];
    for (;;) {
        const ssize_t length = ::read(fd, buffer, sizeof buffer);
        if (length == 0) break;
        if (length < 0) {
            if (errno == EINTR) continue;
            auto error = Error{system_error("cannot read")};
            ::close(fd);
            return error;
        }
        content.append(buffer, static_cast<std::size_t>(length));
    }
    ::close(fd);
    return content;
}

}  // namespace switchyard::flags
