#pragma once
// What the flag file holds now, given a document parsed from it a moment ago. Whoever applies a
// document the watcher read must apply the file's newest content instead (an admin change may
// have replaced the file since), but reading and hashing 40 MB again costs milliseconds of a
// core that request threads may need: when the file is still the very one read (its identity,
// the rule replace_file_if_unchanged() goes by), it is not read again; when it was read again,
// the bytes are parsed again only when they are not the ones already parsed.
#include <filesystem>
#include <memory>
#include <optional>

#include "common/result.hpp"
#include "flags/flag_snapshot.hpp"
#include "flags/read_file.hpp"

namespace switchyard::flags {

// `read_earlier` itself when the file still holds its bytes, else the file's bytes parsed now.
// `read_from`: the identity of the file `read_earlier` was read from, if known, a file the caller
// keeps open (FileContent::open) until this returns; a file that still has that identity and is
// larger than kCompareBytesUpTo is taken to hold the same bytes, without reading it.
// An error ("<path>: …") when the file is gone, unreadable or no longer a valid document.
Result<std::shared_ptr<const FlagSnapshot>> latest_document(
    const std::filesystem::path& path, std::shared_ptr<const FlagSnapshot> read_earlier,
    const std::optional<FileIdentity>& read_from = std::nullopt);

}  // namespace switchyard::flags
