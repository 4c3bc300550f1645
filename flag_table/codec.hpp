#pragma once
// The flag table's items as plain values and back (README.md, "Items"). Decoding never
// throws: an item that switchyard did not write the way it writes them (a hand edit in the
// console) is an error that names the item and the attribute, and the reader keeps its last
// good state. Empty strings are never stored (absent means empty), so any DynamoDB-compatible
// endpoint takes the items.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "common/stage.hpp"
#include "dynamo/attribute_value.hpp"
#include "flags/door_set.hpp"
#include "flags/editable_document.hpp"
#include "flags/flag_snapshot.hpp"

namespace switchyard::flag_table {

// The default stage and the rollout: one item, so a change of either is checked against both.
struct ConfigValue {
    Stage default_stage = Stage::legacy;
    Stage rollout_stage = Stage::legacy;
    std::uint32_t rollout_percent_hundredths = 0;
    std::string rollout_salt;

    bool operator==(const ConfigValue&) const = default;
    static ConfigValue of(const flags::FlagSnapshot& flags);
    flags::Rollout rollout() const;
    flags::EditableRollout editable_rollout() const;
};

// The marker: the last change's sequence number, and the table's format.
struct Marker {
    std::int64_t seq = 0;
    std::int64_t format = 0;
    std::int64_t shards = 0;
    std::string first_audit_partition;  // "audit#2026-11"; empty until the first audited change
};

// One entry of the change log: what changed at `seq`, by key. Readers fetch the items named.
struct LogEntry {
    std::int64_t seq = 0;
    std::int64_t unix_ms = 0;
    std::string by;                    // instance or operator
    std::vector<std::string> entries;  // tenants whose entry was written or removed
    std::vector<std::string> doors;    // tenants whose door closed or was reopened
    bool config = false;               // the default stage or the rollout changed
    bool resync = false;               // too much changed to name: read everything again
};

// One audited change: the entries the admin API or `ctl import` gave, oldest first.
struct AuditRecord {
    std::int64_t seq = 0;
    std::int64_t unix_ms = 0;
    std::vector<std::string> tenants;
    std::vector<nlohmann::json> entries;
};

// What a shard partition holds for one tenant's entry. An unpinned tenant keeps its item
// without a stage (a tombstone), so its version never goes back: If-Match stays exact.
struct EntryItem {
    std::string tenant;
    std::optional<flags::EditableEntry> entry;  // nullopt: a tombstone, no entry
    std::int64_t version = 0;
    std::int64_t seq = 0;
};

dynamo::Item encode_marker(const Marker& marker);
Result<Marker> decode_marker(const dynamo::Item& item);

dynamo::Item encode_config(const ConfigValue& config, std::int64_t version, std::int64_t seq);
Result<ConfigValue> decode_config(const dynamo::Item& item);

dynamo::Item encode_entry(std::string_view tenant, const flags::EditableEntry& entry,
                          std::int64_t version, std::int64_t seq);
Result<EntryItem> decode_entry(const dynamo::Item& item);

dynamo::Item encode_door(const flags::DoorClosing& closing, std::int64_t seq);
Result<flags::DoorClosing> decode_door(const dynamo::Item& item);

dynamo::Item encode_log(const LogEntry& entry);
Result<LogEntry> decode_log(const dynamo::Item& item);

dynamo::Item encode_audit(const AuditRecord& record);
Result<AuditRecord> decode_audit(const dynamo::Item& item);

// What an item of a shard partition is, from its sort key.
enum class ShardItemKind { entry, door, other };
ShardItemKind shard_item_kind(const dynamo::Item& item);

// "shard#07/tenant#acme": an item's key, for messages.
std::string describe_key(const dynamo::Item& item);

// DynamoDB's size of an item (attribute names plus values, as its capacity units count them):
// for the read-unit figures in the README and the load's report.
std::size_t item_size_bytes(const dynamo::Item& item);

}  // namespace switchyard::flag_table
