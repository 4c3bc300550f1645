#pragma once
// A flag document read through a window of its file, a megabyte at a time, instead of held
// whole. A reload of 1,000,000 tenants used to read its 40 MB into fresh memory: the page
// faults to map it and the work to give it back were a sixth of the watcher's CPU, and the
// peak memory of a reload held the text beside both tables (bench/RESULTS.md, step 17).
//
// The parser moves the window between members (read_ahead), so that a member's worth of text
// is always ahead of it. A member longer than that (a note of megabytes) may still be cut at
// the window's end: the parser then reads it again whole (read_whole), so a document is never
// judged on a window's cut.
#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace switchyard::flags {

class ReloadPacer;

struct TextWindowSize {
    std::size_t window_bytes = 1 << 20;   // stays in cache between the copy and the parse
    std::size_t ahead_bytes = 256 << 10;  // kept ahead of the reader: a member's worth
};

class TextWindow {
  public:
    using Size = TextWindowSize;

    // A text already in memory, whole: the window never moves.
    explicit TextWindow(std::string_view whole) noexcept : text_(whole), at_end_(true) {}
    // The file open at `fd`, read from its start (pread: the descriptor's offset is left
    // alone) up to its end, whatever its size when this started (`expected_size`, a hint).
    // Nothing is read before the first read_ahead().
    TextWindow(int fd, std::size_t expected_size, ReloadPacer* pacer, Size size = {});

    // The bytes in the window.
    std::string_view text() const noexcept { return text_; }
    // True once the window reaches the end of the file.
    bool at_end() const noexcept { return at_end_; }
    // True when the window holds the text from its first byte to its last.
    bool whole() const noexcept { return at_end_ && offset_ == 0; }
    // What is left from `position` in text() to the end of the file, as far as its size said.
    std::size_t left_from(std::size_t position) const noexcept;

    // True when fewer than ahead_bytes follow `position` in text() and the file has more.
    bool wants_more(std::size_t position) const noexcept {
        return !at_end_ && text_.size() - position < size_.ahead_bytes;
    }
    // Drops the bytes before `position` and fills the window from the file: returns where the
    // byte at `position` now is in text(). Errors say "cannot read: <reason>".
    Result<std::size_t> read_ahead(std::size_t position);
    // Reads the whole file into the window; text() then holds it all and whole() is true.
    Result<bool> read_whole();

  private:
    // Appends up to `bytes` from the file at offset_ + text_.size(); false on a read error.
    Result<bool> fill(std::size_t bytes);

    int fd_ = -1;
    std::size_t expected_size_ = 0;
    ReloadPacer* pacer_ = nullptr;
    Size size_;
    std::string buffer_;  // its first text_.size() bytes are the window's
    std::string_view text_;
    std::size_t offset_ = 0;  // of text()[0] in the file
    bool at_end_ = false;
};

}  // namespace switchyard::flags
