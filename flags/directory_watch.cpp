#include "flags/directory_watch.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cstring>

namespace switchyard::flags {

DirectoryWatch::DirectoryWatch(const std::filesystem::path& file)
    : name_(file.filename().string()) {
    fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd_ < 0) return;
    const std::filesystem::path directory = file.has_parent_path() ? file.parent_path() : ".";
    // Written in place (close), renamed over (moved to), created, deleted or renamed away.
    constexpr std::uint32_t kEvents =
        IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM;
    if (inotify_add_watch(fd_, directory.c_str(), kEvents) < 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

DirectoryWatch::~DirectoryWatch() {
    if (fd_ >= 0) ::close(fd_);
}

DirectoryWatch::Heard DirectoryWatch::drain() {
    Heard heard = Heard::nothing;
    alignas(inotify_event) std::array<char, 16 * 1024> buffer;
    for (;;) {
        const ssize_t length = ::read(fd_, buffer.data(), buffer.size());
        if (length <= 0) return heard;  // EAGAIN: the queue is empty
        for (ssize_t offset = 0; offset < length;) {
            inotify_event event;
            std::memcpy(&event, buffer.data() + offset, sizeof event);
            const char* name = buffer.data() + offset + sizeof(inotify_event);
            if (event.mask & IN_Q_OVERFLOW) {
                heard = Heard::changed;
            } else if (event.len > 0 && name_ == name) {
                heard = (event.mask & IN_MOVED_TO) ? Heard::replaced : Heard::changed;
            }
            offset += static_cast<ssize_t>(sizeof(inotify_event) + event.len);
        }
    }
}

}  // namespace switchyard::flags
