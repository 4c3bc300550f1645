#pragma once
// The identity of a flag document's bytes: equal hashes mean "the same document", so a reload
// of bytes already parsed (or already serving) is skipped. In-process only, never stored, so it
// need not be stable across builds: std::hash reads 8 bytes a step (~10 ms for 40 MB).
#include <cstdint>
#include <functional>
#include <string_view>

namespace switchyard::flags {

inline std::uint64_t content_hash(std::string_view bytes) noexcept {
    return std::hash<std::string_view>{}(bytes);
}

}  // namespace switchyard::flags
