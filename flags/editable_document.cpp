#include "flags/editable_document.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

namespace switchyard::flags {

namespace {

std::string quoted(const std::string& text) { return nlohmann::json(text).dump(); }

std::string errno_text() { return std::strerror(errno); }

}  // namespace

EditableDocument EditableDocument::from(const FlagSnapshot& snapshot) {
    EditableDocument document;
    document.default_stage = snapshot.default_stage();
    const auto& rollout = snapshot.rollout();
    document.rollout = {rollout.stage(), rollout.percent_hundredths(), rollout.salt(),
                        rollout.percent_hundredths() > 0 || !rollout.salt().empty() ||
                            rollout.stage() != Stage::legacy};
    snapshot.tenants().for_each([&](const TenantFlag& flag) {
        document.tenants.emplace(std::string(flag.id),
                                 EditableEntry{flag.stage, std::string(flag.note)});
    });
    for (const auto& [tenant, reason] : snapshot.force_reasons()) document.force.emplace(tenant, reason);
    return document;
}

std::string format_percent(std::uint32_t hundredths) {
    std::string text = std::to_string(hundredths / 100);
    if (const auto fraction = hundredths % 100; fraction != 0) {
        text += '.';
        text += static_cast<char>('0' + fraction / 10);
        if (fraction % 10 != 0) text += static_cast<char>('0' + fraction % 10);
    }
    return text;
}

std::string EditableDocument::render() const {
    std::string text = "{\n  \"default_stage\": \"" + std::string(to_string(default_stage)) + "\"";
    if (rollout.present) {
        text += ",\n  \"rollout\": {\"stage\": \"" + std::string(to_string(rollout.stage)) +
                "\", \"percent\": " + format_percent(rollout.percent_hundredths) +
                ", \"salt\": " + quoted(rollout.salt) + "}";
    }
    text += ",\n  \"tenants\": {";
    bool first = true;
    for (const auto& [tenant, entry] : tenants) {
        text += first ? "\n" : ",\n";
        first = false;
        text += "    " + quoted(tenant) + ": {\"stage\": \"" + std::string(to_string(entry.stage)) +
                "\"";
        if (!entry.note.empty()) text += ", \"note\": " + quoted(entry.note);
        text += "}";
    }
    text += first ? "}" : "\n  }";
    if (!force.empty()) {
        text += ",\n  \"force\": {";
        first = true;
        for (const auto& [tenant, reason] : force) {
            text += first ? "\n" : ",\n";
            first = false;
            text += "    " + quoted(tenant) + ": " + quoted(reason);
        }
        text += "\n  }";
    }
    text += "\n}\n";
    return text;
}

Result<bool> write_file_atomically(const std::filesystem::path& path, const std::string& text,
                                   const std::function<bool()>& still_current) {
    const auto temporary = path.string() + ".switchyard-tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Error{temporary + ": cannot create: " + errno_text()};
    std::size_t written = 0;
    while (written < text.size()) {
        const auto n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const auto why = errno_text();
            ::close(fd);
            ::unlink(temporary.c_str());
            return Error{temporary + ": cannot write: " + why};
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const auto why = errno_text();
        ::unlink(temporary.c_str());
        return Error{temporary + ": cannot make durable: " + why};
    }
    if (still_current && !still_current()) {
        ::unlink(temporary.c_str());
        return false;
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const auto why = errno_text();
        ::unlink(temporary.c_str());
        return Error{path.string() + ": cannot replace: " + why};
    }
    // The rename itself must survive a crash: fsync the directory entry.
    const auto directory = std::filesystem::absolute(path).parent_path();
    const int dir_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) return Error{directory.string() + ": cannot open to sync: " + errno_text()};
    const bool synced = ::fsync(dir_fd) == 0;
    ::close(dir_fd);
    if (!synced) return Error{directory.string() + ": cannot sync: " + errno_text()};
    return true;
}

}  // namespace switchyard::flags
