#pragma once
// Body buffers are borrowed only while a body is in flight, so idle keep-alive connections
// cost no buffer at all (memory per connection stays small with 10,000 of them).
#include <boost/beast/core/flat_buffer.hpp>
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

// For a read buffer: an allocation of exactly the pool's buffer size (a buffer grown for a
// relay, or reserved to read a whole answer at once) is borrowed from the worker's pool and
// given back when the buffer shrinks; any other size comes from the heap. The pool must
// outlive every buffer that uses it.
template <typename T>
class PoolAllocator {
  public:
    using value_type = T;

    explicit PoolAllocator(BufferPool& pool) noexcept : pool_(&pool) {}
    template <typename U>
    PoolAllocator(const PoolAllocator<U>& other) noexcept : pool_(other.pool()) {}

    T* allocate(std::size_t n) {
        if (pooled(n)) return reinterpret_cast<T*>(pool_->take().release());
        return std::allocator<T>{}.allocate(n);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if (pooled(n)) {
            pool_->give_back(std::unique_ptr<char[]>(reinterpret_cast<char*>(p)));
        } else {
            std::allocator<T>{}.deallocate(p, n);
        }
    }

    BufferPool* pool() const noexcept { return pool_; }
    friend bool operator==(const PoolAllocator& a, const PoolAllocator& b) noexcept {
        return a.pool_ == b.pool_;
    }

  private:
    bool pooled(std::size_t n) const noexcept {
        return sizeof(T) == 1 && n == pool_->buffer_bytes();
    }

    BufferPool* pool_;
};

using PooledFlatBuffer = boost::beast::basic_flat_buffer<PoolAllocator<char>>;

}  // namespace switchyard::proxy
