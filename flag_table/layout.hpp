#pragma once
// Where each thing lives in the flag table (see README.md, "Table layout"): one table, string
// keys `pk` and `sk`. Tenants' entries and doors share 16 shard partitions, so a full load is
// 16 Queries that read nothing else (not the audit, not the log); the change log is one
// partition read in order; the audit has a partition per month, read newest first.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "dynamo/attribute_value.hpp"

namespace switchyard::flag_table {

// Written in the marker item by `ctl init-table`; a table of another format is refused.
inline constexpr std::int64_t kFormat = 1;
// Fixed by the format: a tenant's items live in shard fnv1a64(tenant) % kShards.
inline constexpr unsigned kShards = 16;
// DynamoDB's limit of items in one TransactWriteItems.
inline constexpr std::size_t kMaxTransactionItems = 100;
// Log items expire (TTL on expires_at) after this; an instance further behind loads everything.
inline constexpr std::chrono::hours kLogRetention{24 * 7};

inline constexpr const char* kPartitionKey = "pk";
inline constexpr const char* kSortKey = "sk";
inline constexpr const char* kExpiresAt = "expires_at";  // the table's TTL attribute

unsigned shard_of(std::string_view tenant) noexcept;
std::string shard_partition(unsigned shard);  // "shard#07"

inline constexpr std::string_view kEntryPrefix = "tenant#";
inline constexpr std::string_view kDoorPrefix = "door#";
inline constexpr std::string_view kLogPartition = "log";

dynamo::Item item_key(std::string_view pk, std::string_view sk);
dynamo::Item marker_key();
dynamo::Item config_key();
dynamo::Item entry_key(std::string_view tenant);  // shard#NN / tenant#ID
dynamo::Item door_key(std::string_view tenant);   // shard#NN / door#ID
dynamo::Item log_key(std::int64_t seq);           // log / 00000000000000000042
std::string log_sort_key(std::int64_t seq);       // zero-padded: sorts as the number does

// The audit of a month, "audit#2026-11", and an entry's sort key in it: its time then its seq,
// "2026-11-23T07:09:11.567Z#00000000000000000042", so a Query backwards is newest first.
std::string audit_partition(std::int64_t unix_ms);
std::string audit_sort_key(std::int64_t unix_ms, std::int64_t seq);
// The month before "audit#2026-01" is "audit#2025-12".
std::string previous_audit_partition(std::string_view partition);

}  // namespace switchyard::flag_table
