#include "common/write_all.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace switchyard {

Result<bool> write_all(int fd, std::string_view bytes, std::string_view what) {
    std::size_t written = 0;
    while (written < bytes.size()) {
        const auto n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            return Error{std::string(what) + ": " +
                         (n == 0 ? "no progress" : std::strerror(errno))};
        }
        written += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace switchyard
