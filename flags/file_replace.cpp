#include "flags/file_replace.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/write_all.hpp"

namespace switchyard::flags {

namespace {

std::string errno_text() { return std::strerror(errno); }

std::string temporary_of(const std::filesystem::path& path) {
    return path.string() + ".switchyard-tmp";
}

// The temp file, durable, and the inode it got.
Result<FileIdentity> write_temporary(const std::string& temporary, const std::string& text) {
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Error{temporary + ": cannot create: " + errno_text()};
    auto written = write_all(fd, text, temporary + ": cannot write");
    struct stat info {};
    if (written && (::fsync(fd) != 0 || ::fstat(fd, &info) != 0)) {
        written = Error{temporary + ": cannot make durable: " + errno_text()};
    }
    ::close(fd);
    if (!written) {
        ::unlink(temporary.c_str());
        return written.error();
    }
    return identity_of(info);
}

// A rename must survive a crash too: fsync the directory entry.
Result<bool> sync_directory_of(const std::filesystem::path& path) {
    const auto directory = std::filesystem::absolute(path).parent_path();
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Error{directory.string() + ": cannot open to sync: " + errno_text()};
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) return Error{directory.string() + ": cannot sync: " + errno_text()};
    return true;
}

// Is the file at `name` still the one `read` came from?
bool still_the_one_read(const std::string& name, const FileContent& read) {
    auto now = read_file_content(name);
    if (!now || !(now->identity == read.identity)) return false;
    return read.identity.size > kCompareBytesUpTo || now->text == read.text;
}

bool is(const std::string& name, const FileIdentity& ours) {
    struct stat info {};
    return ::stat(name.c_str(), &info) == 0 &&
           static_cast<std::uint64_t>(info.st_ino) == ours.inode &&
           static_cast<std::uint64_t>(info.st_dev) == ours.device;
}

int exchange(const std::string& a, const std::string& b) {
    return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE);
}

Result<bool> replace_by_rename(const std::filesystem::path& path, const std::string& temporary) {
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const auto why = errno_text();
        ::unlink(temporary.c_str());
        return Error{path.string() + ": cannot replace: " + why};
    }
    return sync_directory_of(path);
}

}  // namespace

Result<FileContent> read_file_content(const std::filesystem::path& path) {
    auto content = read_whole_file(path);
    if (!content) return Error{path.string() + ": " + content.error().message};
    return content;
}

Result<bool> write_file_atomically(const std::filesystem::path& path, const std::string& text) {
    const auto temporary = temporary_of(path);
    if (auto written = write_temporary(temporary, text); !written) return written.error();
    return replace_by_rename(path, temporary);
}

Result<bool> replace_file_if_unchanged(const std::filesystem::path& path, const std::string& text,
                                       const FileContent& read) {
    const auto temporary = temporary_of(path);
    const auto ours = write_temporary(temporary, text);
    if (!ours) return ours.error();
    const auto name = path.string();

    if (exchange(temporary, name) != 0) {
        if (errno == ENOENT) {  // the file was deleted: nothing to compare with
            ::unlink(temporary.c_str());
            return false;
        }
        if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
            const auto why = errno_text();
            ::unlink(temporary.c_str());
            return Error{name + ": cannot replace: " + why};
        }
        // No atomic exchange on this filesystem: check, then rename.
        if (!still_the_one_read(name, read)) {
            ::unlink(temporary.c_str());
            return false;
        }
        return replace_by_rename(path, temporary);
    }
    // Ours is in place; what it replaced is under the temporary name.
    if (still_the_one_read(temporary, read)) {
        ::unlink(temporary.c_str());
        return sync_directory_of(path);
    }
    // Someone saved after we read: give their version back. If yet another save replaced ours
    // meanwhile, that newest one ends up in place.
    if (exchange(temporary, name) == 0 && !is(temporary, *ours)) exchange(temporary, name);
    ::unlink(temporary.c_str());
    if (auto synced = sync_directory_of(path); !synced) return synced.error();
    return false;
}

}  // namespace switchyard::flags
