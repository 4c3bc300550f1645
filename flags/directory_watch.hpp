#pragma once
// inotify on a file's directory, not the file: editors that save by renaming a temp file over
// the original replace its inode, and a watch on the old inode would hear nothing after that.
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

    // Reads the queued events; true when one may concern the file (or some were lost).
    bool drain();

  private:
    int fd_ = -1;
    std::string name_;
};

}  // namespace switchyard::flags
