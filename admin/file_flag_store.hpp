#pragma once
// The flag file as the store of admin changes. A change starts from the file on disk (so a hand
// edit not yet loaded is kept) and replaces it only if nobody saved it since (else the change
// is redone from the new file). Forced moves go to the door journal first, then the file, then
// the audit log, each durable before the next.
//
// Versions: "<n>-<content hash>", n the number of admin changes of the resource in the audit
// log (counted once at start), so A → B → A gives three versions; a hand edit changes the hash.
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "admin/flag_store.hpp"
#include "flags/door_journal.hpp"
#include "flags/file_replace.hpp"

namespace switchyard::admin {

class FileFlagStore final : public FlagStore {
  public:
    FileFlagStore(std::filesystem::path flag_file, flags::DoorJournal& doors, AuditLog& audit);

    Result<flags::EditableDocument, ReadFailure> read() override;
    CommitResult commit(const PendingChange& change) override;
    std::string tenant_version(std::string_view tenant,
                               const flags::EditableEntry* entry) const override;
    std::string rollout_version(const flags::EditableRollout& rollout) const override;
    Result<std::vector<nlohmann::json>> recent_audit(std::size_t limit,
                                                     std::string_view tenant) const override;
    std::string describe() const override;

  private:
    void count_change(const std::string& action, const std::string& tenant);

    std::filesystem::path flag_file_;
    flags::DoorJournal& doors_;
    AuditLog& audit_;
    std::optional<flags::FileContent> last_read_;

    mutable std::mutex versions_mutex_;  // GET views ask from other threads than changes
    std::unordered_map<std::string, std::uint64_t> tenant_changes_;
    std::uint64_t rollout_changes_ = 0;
};

}  // namespace switchyard::admin
