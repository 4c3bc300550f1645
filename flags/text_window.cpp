#include "flags/text_window.hpp"

#include <algorithm>
#include <cstring>

#include "flags/read_file.hpp"
#include "flags/reload_pacer.hpp"

namespace switchyard::flags {

TextWindow::TextWindow(int fd, std::size_t expected_size, ReloadPacer* pacer, Size size)
    : fd_(fd), expected_size_(expected_size), pacer_(pacer), size_(size) {
    // With less than a window's half free after a move, the window would move every member.
    size_.ahead_bytes = std::min(size_.ahead_bytes, size_.window_bytes / 2);
    buffer_.resize(size_.window_bytes);  // zeroed once: a fill reads over what is there
}

std::size_t TextWindow::left_from(std::size_t position) const noexcept {
    const std::size_t read_to = offset_ + position;
    const std::size_t known = std::max(expected_size_, offset_ + text_.size());
    return at_end_ ? text_.size() - position : known - read_to;
}

Result<std::size_t> TextWindow::read_ahead(std::size_t position) {
    if (at_end_) return position;
    // What the reader has yet to read moves to the front; the rest of the window is filled.
    const std::size_t kept = text_.size() - position;
    std::memmove(buffer_.data(), buffer_.data() + position, kept);
    offset_ += position;
    text_ = {buffer_.data(), kept};
    if (auto filled = fill(size_.window_bytes - std::min(kept, size_.window_bytes)); !filled) {
        return filled.error();
    }
    return std::size_t{0};
}

Result<bool> TextWindow::read_whole() {
    if (whole()) return true;
    text_ = {};
    offset_ = 0;
    at_end_ = false;
    buffer_.reserve(expected_size_ + 1);  // one more byte: the read that finds the end
    while (!at_end_) {  // to the end, however long: `expected_size_` is where it stood
        if (auto filled = fill(size_.window_bytes); !filled) return filled;
    }
    return true;
}

Result<bool> TextWindow::fill(std::size_t bytes) {
    // A read of 128 KiB is a copy of some tens of microseconds: a pause point after each.
    constexpr std::size_t kReadBytes = 128 * 1024;
    const std::size_t start = text_.size();
    if (buffer_.size() < start + bytes) buffer_.resize(start + bytes);  // read_whole() only
    std::size_t filled = 0;
    while (filled < bytes) {
        if (pacer_ && filled > 0) pacer_->pause_point();
        const std::size_t asked = std::min(bytes - filled, kReadBytes);
        const auto read =
            read_at(fd_, buffer_.data() + start + filled, asked, offset_ + start + filled);
        if (!read) {
            text_ = {buffer_.data(), start + filled};
            return read.error();
        }
        filled += *read;
        if (*read < asked) {
            at_end_ = true;
            break;
        }
    }
    text_ = {buffer_.data(), start + filled};
    if (pacer_) pacer_->pause_point();
    return true;
}

}  // namespace switchyard::flags
