#include "flags/content_hash.hpp"

#include <functional>

#include "flags/hash.hpp"
#include "flags/reload_pacer.hpp"

namespace switchyard::flags {

std::uint64_t content_hash(std::string_view bytes, ReloadPacer* pacer) {
    constexpr std::size_t kBlockBytes = 256 * 1024;  // ~40 µs of hashing
    std::uint64_t hash = fmix64(bytes.size());
    for (std::size_t at = 0; at < bytes.size(); at += kBlockBytes) {
        hash = fmix64(hash ^ std::hash<std::string_view>{}(bytes.substr(at, kBlockBytes)));
        if (pacer) pacer->pause_point();
    }
    return hash;
}

}  // namespace switchyard::flags
