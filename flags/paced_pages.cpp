#include "flags/paced_pages.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

#include "flags/reload_pacer.hpp"

namespace switchyard::flags {
namespace {

// madvise(`advice`) over the whole pages inside the range, 32 pages a call: mapping 128 at a
// time took up to ~250 µs on a reload's cold cache, longer than a pacer's step, and a request
// waits out the whole call. Stops at the first refusal (an old kernel).
void advise_in_steps(const void* data, std::size_t bytes, int advice, ReloadPacer* pacer) {
    constexpr std::uintptr_t kStepBytes = 128 * 1024;
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto begin = reinterpret_cast<std::uintptr_t>(data);
    const auto end = (begin + bytes) & ~(page - 1);
    for (auto at = (begin + page - 1) & ~(page - 1); at < end; at += kStepBytes) {
        const auto length = std::min(kStepBytes, end - at);
        if (::madvise(reinterpret_cast<void*>(at), length, advice) != 0) return;
        if (pacer) pacer->pause_point();
    }
}

}  // namespace

void populate(const void* data, std::size_t bytes, ReloadPacer* pacer) {
#ifdef MADV_POPULATE_WRITE
    advise_in_steps(data, bytes, MADV_POPULATE_WRITE, pacer);
#else
    (void)data, (void)bytes, (void)pacer;
#endif
}

void release_pages(void* data, std::size_t bytes, ReloadPacer* pacer) {
    advise_in_steps(data, bytes, MADV_DONTNEED, pacer);
}

}  // namespace switchyard::flags
