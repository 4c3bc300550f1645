#include "proxy/request_arena.hpp"

#include <cstdint>
#include <new>

namespace switchyard::proxy {

ArenaBlocks::ArenaBlocks(std::size_t max_spare) : max_spare_(max_spare) {
    spare_.reserve(max_spare_);  // give_back() never allocates, so release() cannot throw
}

std::unique_ptr<std::byte[]> ArenaBlocks::take() {
    if (spare_.empty()) return std::make_unique_for_overwrite<std::byte[]>(kBlockBytes);
    auto block = std::move(spare_.back());
    spare_.pop_back();
    return block;
}

void ArenaBlocks::give_back(std::unique_ptr<std::byte[]> block) {
    if (spare_.size() < max_spare_) spare_.push_back(std::move(block));
}

std::byte* RequestArena::bump(std::size_t bytes, std::size_t alignment) noexcept {
    if (!next_) return nullptr;
    const auto address = reinterpret_cast<std::uintptr_t>(next_);
    std::byte* p = next_ + (alignment - address % alignment) % alignment;
    if (p > end_ || static_cast<std::size_t>(end_ - p) < bytes) return nullptr;
    next_ = p + bytes;
    return p;
}

void* RequestArena::allocate(std::size_t bytes, std::size_t alignment) {
    if (auto* p = bump(bytes, alignment)) return p;
    if (kHeaderBytes + bytes + alignment > ArenaBlocks::kBlockBytes / 2) {
        // A huge field gets a block of its own, so the current block's rest is not wasted.
        auto* raw = new std::byte[kHeaderBytes + bytes + alignment];
        large_ = new (raw) Block{large_};
        const auto address = reinterpret_cast<std::uintptr_t>(raw + kHeaderBytes);
        return raw + kHeaderBytes + (alignment - address % alignment) % alignment;
    }
    auto* raw = blocks_.take().release();
    blocks_in_use_ = new (raw) Block{blocks_in_use_};
    next_ = raw + kHeaderBytes;
    end_ = raw + ArenaBlocks::kBlockBytes;
    return bump(bytes, alignment);
}

void RequestArena::release() noexcept {
    while (blocks_in_use_) {
        auto* previous = blocks_in_use_->previous;
        blocks_.give_back(
            std::unique_ptr<std::byte[]>(reinterpret_cast<std::byte*>(blocks_in_use_)));
        blocks_in_use_ = previous;
    }
    while (large_) {
        auto* previous = large_->previous;
        delete[] reinterpret_cast<std::byte*>(large_);
        large_ = previous;
    }
    next_ = end_ = nullptr;
}

}  // namespace switchyard::proxy
