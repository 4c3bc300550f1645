#pragma once
// Admin changes to the flag document, made durable before they are answered: the document on
// disk is read (so a hand edit not yet loaded is kept, never overwritten), changed, checked
// against the one-way door, and then, in this order, forced moves are journaled, the file is
// replaced atomically, the audit log appended and fsynced, and the new snapshot published.
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "admin/audit_log.hpp"
#include "admin/tokens.hpp"
#include "common/stage.hpp"
#include "flags/door_journal.hpp"
#include "flags/editable_document.hpp"
#include "routing/snapshot_store.hpp"

namespace switchyard::admin {

struct Outcome {
    unsigned status = 200;
    nlohmann::json body;
    std::string etag;  // the changed resource's new version, when there is one
};

struct TenantChange {
    std::string tenant;
    std::optional<Stage> stage;  // nullopt: unpin (remove the entry)
    std::optional<std::string> note;
};

struct RolloutChange {
    Stage stage = Stage::legacy;
    std::uint32_t percent_hundredths = 0;
    std::optional<std::string> salt;  // nullopt: keep the current salt
};

struct ChangeContext {
    const Principal& principal;
    std::string reason;
    bool force = false;
    std::string if_match;  // empty: unconditional
    std::string request_id;
};

class FlagEditor {
public:
    // `write_mutex` is shared with whoever else applies the flag file (the file watcher), so
    // a reload of an older version can never land after a newer admin change.
    FlagEditor(std::filesystem::path flag_file, flags::DoorJournal& doors,
               routing::SnapshotStore& snapshots, AuditLog& audit, std::mutex& write_mutex);

    Outcome change_tenants(const std::vector<TenantChange>& changes, const ChangeContext& context,
                           bool batch);
    Outcome change_rollout(const RolloutChange& change, const ChangeContext& context);

    // Views for GET endpoints, from the running snapshot.
    nlohmann::json tenant_view(std::string_view tenant) const;
    std::string tenant_etag(std::string_view tenant) const;
    nlohmann::json rollout_view() const;
    std::string rollout_etag() const;

private:
    struct Loaded {
        flags::EditableDocument document;
        std::shared_ptr<const flags::FlagSnapshot> snapshot;
        std::string text;  // as read: the file must still hold it when we replace it
    };
    Outcome change_tenants_once(const std::vector<TenantChange>& changes,
                                const ChangeContext& context, bool batch);
    Outcome change_rollout_once(const RolloutChange& change, const ChangeContext& context);
    template <typename Attempt>
    Outcome with_retries(Attempt attempt);
    Result<Loaded> read_disk() const;
    Outcome commit(const std::string& read_text, const flags::EditableDocument& changed,
                   std::vector<AuditEntry> audit, const ChangeContext& context,
                   const std::vector<std::string>& forced_tenants);

    std::filesystem::path flag_file_;
    flags::DoorJournal& doors_;
    routing::SnapshotStore& snapshots_;
    AuditLog& audit_;
    std::mutex& mutex_;  // one change at a time, whatever thread asks
};

Outcome error_outcome(unsigned status, std::string_view code, std::string message);

// Versions for optimistic concurrency: a hash of the resource's content, stable across
// restarts and hand edits.
std::string etag_of_entry(const flags::EditableEntry* entry);
std::string etag_of_rollout(const flags::EditableRollout& rollout);

}  // namespace switchyard::admin
