// The proxy parses every request's and answer's header fields into a per-exchange arena: fields
// must read back intact whatever their size, and the arena's blocks must go back to the worker
// (or a long-running proxy would grow without bound).
#include "proxy/request_arena.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/message.hpp>
#include <string>

namespace switchyard::proxy {
namespace {

namespace http = boost::beast::http;

TEST(RequestArena, FieldsReadBackIntactAcrossBlocksAndHugeValues) {
    ArenaBlocks blocks;
    RequestArena arena(blocks);
    {
        ArenaFields fields{ArenaAllocator<char>(arena)};
        // ~80 fields of ~60 bytes: more than one 4 KiB block.
        for (int i = 0; i < 80; ++i) {
            fields.insert("X-Field-" + std::to_string(i),
                          std::string(40, static_cast<char>('a' + i % 26)));
        }
        const std::string huge(10000, 'h');  // bigger than a block: its own allocation
        fields.insert("X-Huge", huge);
        fields.set(http::field::host, "tenant.example");
        for (int i = 0; i < 80; ++i) {
            EXPECT_EQ(fields["X-Field-" + std::to_string(i)],
                      std::string(40, static_cast<char>('a' + i % 26)));
        }
        EXPECT_EQ(fields["X-Huge"], huge);
        EXPECT_EQ(fields[http::field::host], "tenant.example");
    }
    arena.release();
}

TEST(RequestArena, ReleasedBlocksAreReusedNotAllocatedAgain) {
    ArenaBlocks blocks;
    RequestArena arena(blocks);
    const void* first_block = nullptr;
    {
        ArenaFields fields{ArenaAllocator<char>(arena)};
        fields.insert("X-Tenant-Id", "acme");
        first_block = &*fields.begin();
    }
    arena.release();
    {
        ArenaFields fields{ArenaAllocator<char>(arena)};
        fields.insert("X-Tenant-Id", "globex");
        // Same block, same first position: the worker lent the block back out.
        EXPECT_EQ(static_cast<const void*>(&*fields.begin()), first_block);
        EXPECT_EQ(fields["X-Tenant-Id"], "globex");
    }
    arena.release();
}

TEST(RequestArena, AllocationsHonourAlignment) {
    ArenaBlocks blocks;
    RequestArena arena(blocks);
    arena.allocate(3, 1);
    for (std::size_t alignment : {2u, 4u, 8u, 16u}) {
        const auto* p = arena.allocate(5, alignment);
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % alignment, 0u) << alignment;
    }
    const auto* big = arena.allocate(ArenaBlocks::kBlockBytes, 16);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(big) % 16, 0u);
    arena.release();
}

}  // namespace
}  // namespace switchyard::proxy
