#pragma once
// Body buffers are borrowed only while a body is in flight, so idle keep-alive connections
// cost no buffer at all (memory per connection stays small with 10,000 of them).
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace switchyard::proxy {

class BufferPool {
  public:
    explicit BufferPool(std::size_t buffer_bytes, std::size_t max_free = 64)
        : buffer_bytes_(buffer_bytes), max_free_(max_free) {}

    std::unique_ptr<char[]> take() {
        if (free_.empty()) return std::make_unique_for_overwrite<char[]>(buffer_bytes_);
        auto buffer = std::move(free_.back());
        free_.pop_back();
        return buffer;
    }
    void give_back(std::unique_ptr<char[]> buffer) {
        if (free_.size() < max_free_) free_.push_back(std::move(buffer));
    }
    std::size_t buffer_bytes() const noexcept { return buffer_bytes_; }

  private:
    std::size_t buffer_bytes_;
    std::size_t max_free_;
    std::vector<std::unique_ptr<char[]>> free_;
};

class BorrowedBuffer {
  public:
    explicit BorrowedBuffer(BufferPool& pool) : pool_(pool), buffer_(pool.take()) {}
    ~BorrowedBuffer() { pool_.give_back(std::move(buffer_)); }
    BorrowedBuffer(const BorrowedBuffer&) = delete;
    BorrowedBuffer& operator=(const BorrowedBuffer&) = delete;

    std::span<char> span() noexcept { return {buffer_.get(), pool_.buffer_bytes()}; }

  private:
    BufferPool& pool_;
    std::unique_ptr<char[]> buffer_;
};

}  // namespace switchyard::proxy
