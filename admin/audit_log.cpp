#include "admin/audit_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/utc_time.hpp"
#include "common/write_all.hpp"

namespace switchyard::admin {

nlohmann::json AuditEntry::to_json() const {
    nlohmann::json json{{"time", utc_time(unix_ms, Precision::milliseconds)},
                        {"unix_ms", unix_ms},
                        {"token", token_name},
                        {"action", action},
                        {"before", before},
                        {"after", after},
                        {"reason", reason},
                        {"force", force},
                        {"request_id", request_id}};
    json["tenant"] = tenant.empty() ? nlohmann::json(nullptr) : nlohmann::json(tenant);
    return json;
}

Result<bool> AuditLog::append(const std::vector<AuditEntry>& entries) {
    std::string lines;
    for (const auto& entry : entries) lines += entry.to_json().dump() + "\n";
    std::lock_guard lock(mutex_);
    const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0)
        return Error{file_.string() + ": cannot open the audit log: " + std::strerror(errno)};
    if (auto written = write_all(fd, lines, file_.string() + ": cannot append to the audit log");
        !written) {
        ::close(fd);
        return written.error();
    }
    const bool durable = ::fdatasync(fd) == 0;
    ::close(fd);
    if (!durable) return Error{file_.string() + ": cannot make the audit log durable"};
    return true;
}

std::vector<nlohmann::json> AuditLog::recent(std::size_t limit, std::string_view tenant) const {
    std::lock_guard lock(mutex_);
    std::vector<nlohmann::json> entries;
    std::ifstream in(file_, std::ios::binary);
    if (!in) return entries;
    // Walk back from the end in blocks: the log grows forever, an answer reads only its tail.
    constexpr std::streamoff kBlock = 64 * 1024;
    in.seekg(0, std::ios::end);
    std::streamoff position = in.tellg();
    std::string carry;
    while (position > 0 && entries.size() < limit) {
        const auto size = std::min(kBlock, position);
        position -= size;
        std::string block(static_cast<std::size_t>(size), '\0');
        in.seekg(position);
        in.read(block.data(), size);
        block += carry;
        std::size_t end = block.size();
        // Lines wholly inside this block (the first may continue in the previous one).
        for (;;) {
            const auto newline = end == 0 ? std::string::npos : block.rfind('\n', end - 1);
            if (newline == std::string::npos) break;
            const auto line = std::string_view(block).substr(newline + 1, end - newline - 1);
            end = newline;
            if (line.empty()) continue;
            auto json = nlohmann::json::parse(line, nullptr, false);
            if (json.is_discarded()) continue;
            if (!tenant.empty() && json.value("tenant", nlohmann::json()) != tenant) continue;
            entries.push_back(std::move(json));
            if (entries.size() >= limit) return entries;
        }
        carry = block.substr(0, end);
    }
    if (!carry.empty() && entries.size() < limit) {
        auto json = nlohmann::json::parse(carry, nullptr, false);
        if (!json.is_discarded() &&
            (tenant.empty() || json.value("tenant", nlohmann::json()) == tenant)) {
            entries.push_back(std::move(json));
        }
    }
    return entries;
}

void AuditLog::for_each(const std::function<void(const nlohmann::json&)>& visit) const {
    std::lock_guard lock(mutex_);
    std::ifstream in(file_, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto json = nlohmann::json::parse(line, nullptr, false);
        if (json.is_object()) visit(json);
    }
}

}  // namespace switchyard::admin
