#pragma once
// Admin changes to the flag document, made durable before they are answered: the document as
// the store holds it is read (so a hand edit not yet loaded is kept), changed, checked against
// the one-way door, committed by the store (forced moves, the document, the audit, all durable)
// and then the new snapshot is published. A store that changed since the read redoes it.
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "admin/flag_store.hpp"
#include "admin/tokens.hpp"
#include "common/stage.hpp"
#include "flags/editable_document.hpp"
#include "routing/seen_tenants.hpp"
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
    std::string if_match;  // a batch item's "version"; empty: unconditional
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
    std::string if_match;  // the If-Match header; empty: unconditional
    std::string request_id;
};

class FlagEditor {
  public:
    // `write_mutex` is shared with whoever else applies the flag document (the file watcher), so
    // a reload of an older version can never land after a newer admin change.
    // `seen` (may be null) names the tenants a rollout change can be said to move.
    FlagEditor(FlagStore& store, routing::SnapshotStore& snapshots, std::mutex& write_mutex,
               const routing::SeenTenants* seen = nullptr);

    Outcome change_tenants(const std::vector<TenantChange>& changes, const ChangeContext& context,
                           bool batch);
    Outcome change_rollout(const RolloutChange& change, const ChangeContext& context);

    // Views for GET endpoints, from the running snapshot.
    nlohmann::json tenant_view(std::string_view tenant) const;
    std::string tenant_etag(std::string_view tenant) const;
    nlohmann::json rollout_view() const;
    std::string rollout_etag() const;
    Result<std::vector<nlohmann::json>> recent_audit(std::size_t limit,
                                                     std::string_view tenant) const {
        return store_.recent_audit(limit, tenant);
    }

  private:
    Outcome change_tenants_once(const std::vector<TenantChange>& changes,
                                const ChangeContext& context, bool batch);
    Outcome change_rollout_once(const RolloutChange& change, const ChangeContext& context);
    template <typename Attempt>
    Outcome with_retries(Attempt attempt);
    // The store's document, or the answer to give when it cannot be read.
    Result<flags::EditableDocument, Outcome> read_store() const;
    Outcome commit(const flags::EditableDocument& changed, std::vector<std::string> tenants,
                   bool rollout, std::vector<AuditEntry> audit, const ChangeContext& context);

    nlohmann::json moved_tenants(const routing::Snapshot& before,
                                 const routing::Snapshot& after) const;

    FlagStore& store_;
    routing::SnapshotStore& snapshots_;
    std::mutex& mutex_;  // one change at a time, whatever thread asks
    const routing::SeenTenants* seen_;
};

Outcome error_outcome(unsigned status, std::string_view code, std::string message);

// If-Match (RFC 9110 §13.1.1): "*", or a list of entity tags compared strongly with `current`.
bool if_match_allows(std::string_view if_match, std::string_view current);

}  // namespace switchyard::admin
