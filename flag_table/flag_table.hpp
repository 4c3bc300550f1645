#pragma once
// The flag table's operations (README.md), synchronous, for a background thread or the admin
// thread: load everything, read what changed since a sequence number, commit a change set in
// one transaction, close doors, read the audit, and create the table. Every call to DynamoDB is
// bounded by `call_timeout` (retries included), so an unreachable or throttling table answers
// `unavailable` in bounded time instead of hanging its caller. Thread-safe.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dynamo/client.hpp"
#include "flag_table/change_set.hpp"
#include "flag_table/codec.hpp"
#include "flag_table/snapshot_delta.hpp"
#include "flag_table/store_error.hpp"
#include "flags/door_set.hpp"
#include "flags/flag_snapshot.hpp"

namespace switchyard::flag_table {

struct TableSettings {
    std::string table;
    dynamo::ClientConfig client;                   // region, endpoint, credentials
    std::chrono::milliseconds call_timeout{2000};  // one operation, its retries included
    std::string instance;                          // who writes: in the log and door closings
};

// What a full load read, for the log and the README's figures.
struct LoadReport {
    std::size_t entries = 0;
    std::size_t doors = 0;
    std::size_t pages = 0;
    std::size_t bytes = 0;     // DynamoDB item sizes, summed
    double read_units = 0;     // as DynamoDB reported them (dynalite reports them too)
    std::size_t replayed = 0;  // log entries applied after the scan
    std::chrono::milliseconds took{0};
};

struct Loaded {
    std::shared_ptr<const flags::FlagSnapshot> flags;
    std::vector<flags::DoorClosing> doors;
    Versions versions;  // of the entries' items
    std::int64_t config_version = 0;
    std::int64_t seq = 0;
    LoadReport report;
};

// What changed after a sequence number, or why the caller must load everything again.
struct Changes {
    Delta delta;
    bool reload = false;  // the log cannot tell (expired, or too much changed): load() instead
    std::string why;      // when reload
};

struct DoorsWritten {
    std::int64_t seq = 0;                            // of the log entry, when anything was written
    std::vector<flags::DoorClosing> closed;          // made durable by this call
    std::vector<flags::DoorClosing> already_closed;  // closed before (by anyone): that closing
};

struct AuditQuery {
    std::size_t limit = 100;
    std::string tenant;  // empty: every entry
};

struct InitReport {
    bool table_created = false;
    bool ttl_enabled = false;
    std::string ttl_note;  // why not, when it is not
    bool marker_created = false;
    std::int64_t seq = 0;
};

class FlagTable {
  public:
    // Fails only when the endpoint is not a URL.
    static Result<std::unique_ptr<FlagTable>> open(TableSettings settings);
    ~FlagTable();

    const std::string& name() const noexcept { return settings_.table; }
    const TableSettings& settings() const noexcept { return settings_; }
    dynamo::Client& client() noexcept { return *client_; }

    StoreResult<Marker> read_marker();
    // Everything, consistent at the returned seq: the marker first, then every shard, then the
    // changes logged meanwhile, so nothing written during the scan is missed.
    StoreResult<Loaded> load();
    // The changes after `seq`: one marker read (1 read unit) when nothing changed; else the log
    // after `seq` and the items it names.
    StoreResult<Changes> changes_since(std::int64_t seq);

    // All or nothing, conditional on the change set's expectations (change_set.hpp).
    CommitResult commit(const ChangeSet& change);
    // Each closing is a conditional put that succeeds once; a door already closed is not an
    // error (its closing comes back). Logged, so every instance learns them. At most
    // kMaxDoorsPerWrite closings per call; a closing without an instance gets this one's.
    StoreResult<DoorsWritten> close_doors(const std::vector<flags::DoorClosing>& closings,
                                          std::chrono::milliseconds timeout);
    static constexpr std::size_t kMaxDoorsPerWrite = 90;

    // Newest first.
    StoreResult<std::vector<nlohmann::json>> read_audit(const AuditQuery& query);

    // CreateTable (pk, sk strings, on demand) and wait until active, TTL on expires_at, the
    // marker and the config. Idempotent: what exists is kept.
    StoreResult<InitReport> init_table(std::chrono::milliseconds wait);

    // The newest seq this process has seen (read or written); a hint, never a promise.
    std::int64_t seq_hint() const noexcept { return seq_hint_.load(std::memory_order_acquire); }

  private:
    explicit FlagTable(TableSettings settings, std::unique_ptr<dynamo::Client> client);
    dynamo::CallOptions call_options() const;
    void note_seq(std::int64_t seq) noexcept;
    StoreResult<std::vector<dynamo::Item>> get_items(const std::vector<dynamo::Item>& keys);
    StoreResult<Loaded> scan_once();
    // An item switchyard cannot read, named with this table.
    StoreError invalid(const Error& error) const;

    TableSettings settings_;
    std::unique_ptr<dynamo::Client> client_;
    std::atomic<std::int64_t> seq_hint_{0};
};

// A DynamoDB error as the store reports it: what kind, and a message naming the table.
StoreError store_error(const dynamo::DynamoError& error, const std::string& table);

}  // namespace switchyard::flag_table
