#include "flags/latest_document.hpp"

#include <utility>

#include "flags/flag_document.hpp"
#include "flags/text_digest.hpp"

namespace switchyard::flags {

Result<std::shared_ptr<const FlagSnapshot>> latest_document(
    const std::filesystem::path& path, std::shared_ptr<const FlagSnapshot> read_earlier,
    const std::optional<FileIdentity>& read_from) {
    // The file read is still open (FileContent::open), so no other file has its inode: the same
    // device and inode at `path` is that very file. Our own writes replace it by rename, so they
    // always show; an in-place save shows in size or mtime, unless it keeps the size within one
    // mtime tick: a risk for small files only (file_replace.cpp's rule), and such a save wakes
    // the watcher, which reads and applies it next.
    if (read_earlier && read_earlier->content_hash() && read_from &&
        read_from->size > kCompareBytesUpTo && identity_of_file(path) == read_from) {
        return read_earlier;
    }
    auto content = read_whole_file(path);
    if (!content) return Error{path.string() + ": " + content.error().message};
    const auto digest = digest_of(content->text);
    if (read_earlier && read_earlier->content_hash() == digest.hash) return read_earlier;
    auto parsed = parse_flag_document(content->text, digest);
    if (!parsed) return Error{path.string() + ": " + parsed.error().message};
    return parsed;
}

}  // namespace switchyard::flags
