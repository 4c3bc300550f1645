#pragma once
// Who changed what, when, from what, to what, and why: append-only JSON lines in state_dir,
// fsynced before the change is answered (ARCHITECTURE.md invariant 4).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace switchyard::admin {

struct AuditEntry {
    std::int64_t unix_ms = 0;
    std::string token_name;
    std::string action;  // "set_tenant", "unpin_tenant", "set_rollout"
    std::string tenant;  // empty for the rollout
    nlohmann::json before;
    nlohmann::json after;
    std::string reason;
    bool force = false;
    std::string request_id;

    nlohmann::json to_json() const;
};

class AuditLog {
  public:
    explicit AuditLog(std::filesystem::path file) : file_(std::move(file)) {}

    // All entries in one write and one fsync: a batch is audited all or nothing.
    Result<bool> append(const std::vector<AuditEntry>& entries);
    // Newest first, at most `limit`, optionally only one tenant's. Reads the file's tail only.
    std::vector<nlohmann::json> recent(std::size_t limit, std::string_view tenant) const;
    // Oldest first, every readable entry (a torn or foreign line is skipped).
    void for_each(const std::function<void(const nlohmann::json&)>& visit) const;
    const std::filesystem::path& file() const noexcept { return file_; }

  private:
    std::filesystem::path file_;
    mutable std::mutex mutex_;
};

}  // namespace switchyard::admin
