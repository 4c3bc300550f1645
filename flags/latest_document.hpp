#pragma once
// What the flag file holds now, given a document parsed from it a moment ago. Whoever applies a
// document the watcher read must apply the file's newest content instead (an admin change may
// have replaced the file since), but reading and hashing 40 MB costs milliseconds where parsing
// it costs hundreds: the bytes are parsed again only when they are not the ones already parsed.
#include <filesystem>
#include <memory>

#include "common/result.hpp"
#include "flags/flag_snapshot.hpp"

namespace switchyard::flags {

// `read_earlier` itself when the file still holds its bytes, else the file's bytes parsed now.
// An error ("<path>: …") when the file is gone, unreadable or no longer a valid document.
Result<std::shared_ptr<const FlagSnapshot>> latest_document(
    const std::filesystem::path& path, std::shared_ptr<const FlagSnapshot> read_earlier);

}  // namespace switchyard::flags
