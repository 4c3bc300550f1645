#pragma once
// A big buffer's pages mapped before it is filled and given back before it is freed, a few
// hundred at a time between a pacer's pause points. A reload of a 1,000,000-tenant document
// fills ~50 MB of fresh memory (its tenant table; ~90 MB when the text was held whole too):
// taken a page fault (4 KiB) at a time it cost about a third of the reload's CPU, and a
// replaced table freed at once is one munmap of milliseconds on a core request threads need.
#include <cstddef>

namespace switchyard::flags {

class ReloadPacer;

// Both work on the whole pages inside [data, data + bytes), which must be memory the caller owns
// (a buffer's reserved room). Hints: where the kernel cannot, nothing changes.

// Maps them (MADV_POPULATE_WRITE) without changing what they hold.
void populate(const void* data, std::size_t bytes, ReloadPacer* pacer);
// Gives them back (MADV_DONTNEED): they read as zeroes after, so only for a buffer about to be
// freed.
void release_pages(void* data, std::size_t bytes, ReloadPacer* pacer);

}  // namespace switchyard::flags
