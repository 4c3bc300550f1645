#pragma once
// inotify on a file's directory, not the file: editors that save by renaming a temp file over
// the original replace its inode, and a watch on the old inode would hear nothing after that.
#include <cstdint>
#include <filesystem>
#include <string>

namespace switchyard::flags {

class DirectoryWatch {
  public:
    // Watches the directory of `file`; valid() is false when inotify is unavailable.
    explicit DirectoryWatch(const std::filesystem::path& file);
    ~DirectoryWatch();
    DirectoryWatch(const DirectoryWatch&) = delete;
    DirectoryWatch& operator=(const DirectoryWatch&) = delete;

    bool valid() const noexcept { return fd_ >= 0; }
    int fd() const noexcept { return fd_; }  // for poll(): readable when events are queued

    enum class Heard : std::uint8_t {
        nothing,   // no event of the file's
        changed,   // written, created, deleted or moved away (or events were lost): more may come
        replaced,  // its last event: a whole file renamed into place, nothing more to wait for
    };
    // Reads the queued events and says what they mean for the file.
    Heard drain();

  private:
    int fd_ = -1;
    std::string name_;
};

}  // namespace switchyard::flags
