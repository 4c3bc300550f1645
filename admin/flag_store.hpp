#pragma once
// Where the flag document that admin changes edit is kept, and how a change becomes durable:
// the flag file (file_flag_store.hpp) or a DynamoDB table. FlagEditor decides what a change is
// (validation, the door rule, the answer); a store reads the document as it is now and commits
// a change all or nothing, only if nobody changed the document since that read.
//
// FlagEditor calls read() then commit() one change at a time (under its write mutex), so a
// store may remember what read() saw and check it in commit().
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "admin/audit_log.hpp"
#include "common/result.hpp"
#include "flags/door_set.hpp"
#include "flags/editable_document.hpp"

namespace switchyard::admin {

struct PendingChange {
    const flags::EditableDocument& changed;  // the whole document after the change
    std::vector<std::string> tenants;        // whose entries the change touches
    bool rollout = false;                    // the change touches the rollout
    std::vector<AuditEntry> audit;           // one per tenant or rollout change
    std::vector<flags::ForcedMove> forced;   // closed doors the change reopens, audited
};

enum class CommitStatus {
    committed,           // durable, audited: answer 2xx and publish
    changed_since_read,  // nothing written: read again and redo the change
    unavailable,         // nothing written: answer 503 with the message
    unaudited,           // durable and routing, but the audit could not be written
};

struct CommitResult {
    CommitStatus status = CommitStatus::committed;
    std::string message;  // for unavailable and unaudited
    // The store has already published what routes now (a shared store that read its change
    // back with everyone else's): publishing the edited document over it would undo the others'.
    bool published = false;
};

struct ReadFailure {
    bool unavailable = false;  // true: cannot be reached now (503); false: holds a bad document
    std::string message;
};

class FlagStore {
  public:
    virtual ~FlagStore() = default;

    // The document as the store holds it now (not as the running snapshot has it).
    virtual Result<flags::EditableDocument, ReadFailure> read() = 0;
    virtual CommitResult commit(const PendingChange& change) = 0;

    // Versions (ETags, quoted) for optimistic concurrency: a version changes with every change
    // of the resource, also when a later change restores an earlier content. `entry` is the
    // tenant's entry (null: none) in the document the version is asked about.
    virtual std::string tenant_version(std::string_view tenant,
                                       const flags::EditableEntry* entry) const = 0;
    virtual std::string rollout_version(const flags::EditableRollout& rollout) const = 0;

    // Newest first, at most `limit`, only `tenant`'s when not empty.
    virtual Result<std::vector<nlohmann::json>> recent_audit(std::size_t limit,
                                                             std::string_view tenant) const = 0;
    // "flag file /etc/switchyard/flags.json", "DynamoDB table t": for messages.
    virtual std::string describe() const = 0;
};

}  // namespace switchyard::admin
