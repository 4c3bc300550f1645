#include "flags/latest_document.hpp"

#include <utility>

#include "flags/content_hash.hpp"
#include "flags/flag_document.hpp"
#include "flags/read_file.hpp"

namespace switchyard::flags {

Result<std::shared_ptr<const FlagSnapshot>> latest_document(
    const std::filesystem::path& path, std::shared_ptr<const FlagSnapshot> read_earlier) {
    auto bytes = read_whole_file(path);
    if (!bytes) return Error{path.string() + ": " + bytes.error().message};
    const std::uint64_t hash = content_hash(*bytes);
    if (read_earlier && read_earlier->content_hash() == hash) return read_earlier;
    auto parsed = parse_flag_document(*bytes, hash);
    if (!parsed) return Error{path.string() + ": " + parsed.error().message};
    return parsed;
}

}  // namespace switchyard::flags
