#pragma once
// The identity of a flag document's bytes: equal hashes mean "the same document", so a reload
// of bytes already parsed (or already serving) is skipped. In-process only, never stored, so it
// need not be stable across builds: std::hash (8 bytes a step) over blocks of 256 KiB, folded
// together, so that a pacer can pause between blocks (~6 ms for 40 MB in all).
#include <cstdint>
#include <string_view>

namespace switchyard::flags {

class ReloadPacer;

std::uint64_t content_hash(std::string_view bytes, ReloadPacer* pacer = nullptr);

}  // namespace switchyard::flags
