#pragma once
// Memory for one request's header fields. Beast allocates every parsed field on its own (eight
// mallocs and frees for a small proxied request, the largest allocator cost left on the request
// path); here they are bumped out of blocks the worker lends and all given back at once when
// the exchange is over. Nothing is freed one by one: a field erased mid-request stays until then.
#include <boost/beast/http/fields.hpp>
#include <cstddef>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace switchyard::proxy {

// A worker's spare arena blocks. One thread.
class ArenaBlocks {
  public:
    static constexpr std::size_t kBlockBytes = 4096;  // a small request's and answer's fields

    explicit ArenaBlocks(std::size_t max_spare = 64);
    std::unique_ptr<std::byte[]> take();
    void give_back(std::unique_ptr<std::byte[]> block);

  private:
    std::size_t max_spare_;
    std::vector<std::unique_ptr<std::byte[]>> spare_;
};

class RequestArena {
  public:
    explicit RequestArena(ArenaBlocks& blocks) noexcept : blocks_(blocks) {}
    ~RequestArena() { release(); }
    RequestArena(const RequestArena&) = delete;
    RequestArena& operator=(const RequestArena&) = delete;

    void* allocate(std::size_t bytes, std::size_t alignment);
    // Everything allocated so far is gone: call only once no field allocated here is alive.
    void release() noexcept;

  private:
    // Blocks in use are chained through their first bytes: keeping them costs no allocation.
    struct Block {
        Block* previous;
    };
    static constexpr std::size_t kHeaderBytes = alignof(std::max_align_t);

    std::byte* bump(std::size_t bytes, std::size_t alignment) noexcept;

    ArenaBlocks& blocks_;
    Block* blocks_in_use_ = nullptr;  // from blocks_, given back on release
    Block* large_ = nullptr;          // too big for a block: freed on release
    std::byte* next_ = nullptr;
    std::byte* end_ = nullptr;
};

template <typename T>
class ArenaAllocator {
  public:
    using value_type = T;

    explicit ArenaAllocator(RequestArena& arena) noexcept : arena_(&arena) {}
    template <typename U>
    ArenaAllocator(const ArenaAllocator<U>& other) noexcept : arena_(other.arena()) {}

    T* allocate(std::size_t n) {
        return static_cast<T*>(arena_->allocate(n * sizeof(T), alignof(T)));
    }
    void deallocate(T*, std::size_t) noexcept {}  // given back with the whole arena

    RequestArena* arena() const noexcept { return arena_; }
    friend bool operator==(const ArenaAllocator& a, const ArenaAllocator& b) noexcept {
        return a.arena_ == b.arena_;
    }

  private:
    RequestArena* arena_;
};

using ArenaFields = boost::beast::http::basic_fields<ArenaAllocator<char>>;

// An object built in an arena (a parser, with its fields beside it): the holder destroys it and
// the arena's release frees the memory. Keeps a parser out of the connection (an idle one then
// costs ~300 bytes less) and out of the coroutine frame.
template <typename T>
class InArena {
  public:
    InArena() = default;
    ~InArena() { reset(); }
    InArena(const InArena&) = delete;
    InArena& operator=(const InArena&) = delete;

    template <typename... Args>
    T& emplace(RequestArena& arena, Args&&... args) {
        reset();
        object_ = new (arena.allocate(sizeof(T), alignof(T))) T(std::forward<Args>(args)...);
        return *object_;
    }
    void reset() noexcept {
        if (object_) std::destroy_at(std::exchange(object_, nullptr));
    }

    T& operator*() const noexcept { return *object_; }
    T* operator->() const noexcept { return object_; }

  private:
    T* object_ = nullptr;
};

}  // namespace switchyard::proxy
