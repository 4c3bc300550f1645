#pragma once
// Fresh memory mapped ahead of a big buffer's filling. A reload of a 1,000,000-tenant document
// fills ~90 MB of fresh memory (the document's bytes, the tenant table), and taking it a page
// fault (4 KiB) at a time cost about a third of the reload's CPU; madvise(MADV_POPULATE_WRITE)
// maps it hundreds of pages a call, without a fault's trap, with pause points between calls.
#include <cstddef>

namespace switchyard::flags {

class ReloadPacer;

// The whole pages inside [data, data + bytes), which must be memory the caller owns (a reserved
// buffer); what they hold is unchanged. A hint: where the kernel cannot, pages fault as before.
void populate(const void* data, std::size_t bytes, ReloadPacer* pacer);

}  // namespace switchyard::flags
