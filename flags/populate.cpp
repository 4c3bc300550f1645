#include "flags/populate.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

#include "flags/reload_pacer.hpp"

namespace switchyard::flags {

void populate(const void* data, std::size_t bytes, ReloadPacer* pacer) {
#ifdef MADV_POPULATE_WRITE
    // 128 pages: about a step of a pacer's CPU.
    constexpr std::uintptr_t kStepBytes = 512 * 1024;
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto begin = reinterpret_cast<std::uintptr_t>(data);
    auto at = (begin + page - 1) & ~(page - 1);
    const auto end = (begin + bytes) & ~(page - 1);
    for (; at < end; at += kStepBytes) {
        const auto length = std::min(kStepBytes, end - at);
        if (::madvise(reinterpret_cast<void*>(at), length, MADV_POPULATE_WRITE) != 0) return;
        if (pacer) pacer->pause_point();
    }
#else
    (void)data, (void)bytes, (void)pacer;
#endif
}

}  // namespace switchyard::flags
