// Writing the table: a change set or a batch of door closings, each in one TransactWriteItems
// with the marker (seq + 1, conditional on the seq it read) and the log entry naming what
// changed. Writers serialize on the marker; a writer that lost the race to another re-reads
// the marker (1 read unit) and tries again, and only a condition of its own (an entry, a door,
// the config) makes it give up.
#include <random>
#include <set>
#include <thread>

#include "flag_table/flag_table.hpp"
#include "flag_table/layout.hpp"
#include "flags/door_journal.hpp"

namespace switchyard::flag_table {
namespace {

namespace av = dynamo::av;
using dynamo::ErrorKind;
using dynamo::Item;
using Clock = std::chrono::steady_clock;

// What each item of a transaction is, so a cancellation reason can be told apart.
enum class Role { entry, door, config, marker, log, audit };
struct Slot {
    Role role;
    std::string tenant;
};

std::int64_t unix_now_ms() { return flags::unix_now_ms(); }

dynamo::ExpressionAttributes names(
    std::initializer_list<std::pair<const char*, const char*>> pairs) {
    dynamo::ExpressionAttributes attributes;
    for (const auto& [placeholder, name] : pairs) attributes.names[placeholder] = name;
    return attributes;
}

// The entry is what the change was decided on.
std::string expect_entry(const std::optional<flags::EditableEntry>& expected,
                         dynamo::ExpressionAttributes& attributes) {
    attributes.names["#stage"] = "stage";
    if (!expected) return "attribute_not_exists(#stage)";
    attributes.names["#note"] = "note";
    attributes.values[":expected_stage"] = av::s(to_string(expected->stage));
    if (expected->note.empty()) return "#stage = :expected_stage AND attribute_not_exists(#note)";
    attributes.values[":expected_note"] = av::s(expected->note);
    return "#stage = :expected_stage AND #note = :expected_note";
}

// The config is what the change was decided on.
std::string expect_config(const ConfigValue& expected, dynamo::ExpressionAttributes& attributes) {
    attributes.names["#ds"] = "default_stage";
    attributes.names["#rs"] = "rollout_stage";
    attributes.names["#rp"] = "rollout_percent_hundredths";
    attributes.names["#salt"] = "rollout_salt";
    attributes.values[":expected_ds"] = av::s(to_string(expected.default_stage));
    attributes.values[":expected_rs"] = av::s(to_string(expected.rollout_stage));
    attributes.values[":expected_rp"] = av::n(expected.rollout_percent_hundredths);
    std::string condition = "#ds = :expected_ds AND #rs = :expected_rs AND #rp = :expected_rp";
    if (expected.rollout_salt.empty()) return condition + " AND attribute_not_exists(#salt)";
    attributes.values[":expected_salt"] = av::s(expected.rollout_salt);
    return condition + " AND #salt = :expected_salt";
}

// ... and, when the caller knows it, the item's version as read.
std::string expect_version(std::string condition, const std::optional<std::int64_t>& version,
                           dynamo::ExpressionAttributes& attributes) {
    if (!version) return condition;
    attributes.names["#version"] = "version";
    if (*version == 0) return "(" + condition + ") AND attribute_not_exists(#version)";
    attributes.values[":expected_version"] = av::n(*version);
    return "(" + condition + ") AND #version = :expected_version";
}

// SET the version one higher (from nothing: 1) and the seq of the change that wrote it.
void bump_version(dynamo::ExpressionAttributes& attributes, std::int64_t seq) {
    attributes.names["#version"] = "version";
    attributes.names["#seq"] = "seq";
    attributes.values[":zero"] = av::n(0);
    attributes.values[":one"] = av::n(1);
    attributes.values[":seq"] = av::n(seq);
}
constexpr const char* kBumpVersion =
    "#version = if_not_exists(#version, :zero) + :one, #seq = :seq";

dynamo::TransactWriteItem entry_write(const std::string& table, const TenantWrite& write,
                                      std::int64_t seq) {
    dynamo::ExpressionAttributes attributes;
    const auto condition = expect_version(expect_entry(write.expected, attributes),
                                          write.expected_version, attributes);
    bump_version(attributes, seq);
    attributes.names["#note"] = "note";
    if (!write.entry) {
        // Kept as a tombstone: its version goes on counting (see codec.hpp).
        return dynamo::UpdateItemRequest{
            .table = table,
            .key = entry_key(write.tenant),
            .update = "SET " + std::string(kBumpVersion) + " REMOVE #stage, #note",
            .condition = condition,
            .attributes = attributes};
    }
    attributes.values[":stage"] = av::s(to_string(write.entry->stage));
    std::string update = "SET #stage = :stage, " + std::string(kBumpVersion);
    if (write.entry->note.empty()) {
        update += " REMOVE #note";
    } else {
        attributes.values[":note"] = av::s(write.entry->note);
        update += ", #note = :note";
    }
    return dynamo::UpdateItemRequest{.table = table,
                                     .key = entry_key(write.tenant),
                                     .update = update,
                                     .condition = condition,
                                     .attributes = attributes};
}

dynamo::TransactWriteItem config_write(const std::string& table, const ChangeSet& change,
                                       std::int64_t seq) {
    dynamo::ExpressionAttributes attributes;
    const auto condition = expect_version(expect_config(change.expected_config, attributes),
                                          change.expected_config_version, attributes);
    if (!change.config) {
        return dynamo::ConditionCheck{
            .table = table, .key = config_key(), .condition = condition, .attributes = attributes};
    }
    const auto& config = *change.config;
    bump_version(attributes, seq);
    attributes.values[":ds"] = av::s(to_string(config.default_stage));
    attributes.values[":rs"] = av::s(to_string(config.rollout_stage));
    attributes.values[":rp"] = av::n(config.rollout_percent_hundredths);
    std::string update = "SET #ds = :ds, #rs = :rs, #rp = :rp, " + std::string(kBumpVersion);
    if (config.rollout_salt.empty()) {
        update += " REMOVE #salt";
    } else {
        attributes.values[":salt"] = av::s(config.rollout_salt);
        update += ", #salt = :salt";
    }
    return dynamo::UpdateItemRequest{.table = table,
                                     .key = config_key(),
                                     .update = update,
                                     .condition = condition,
                                     .attributes = attributes};
}

// The marker moves from `seen` to seen + 1: whoever read another seq loses and reads again.
dynamo::TransactWriteItem marker_write(const std::string& table, std::int64_t seen,
                                       const std::string& audit_partition) {
    auto attributes = names({{"#seq", "seq"}});
    attributes.values[":seen"] = av::n(seen);
    attributes.values[":next"] = av::n(seen + 1);
    std::string update = "SET #seq = :next";
    if (!audit_partition.empty()) {
        attributes.names["#first"] = "first_audit_partition";
        attributes.values[":audit"] = av::s(audit_partition);
        update += ", #first = if_not_exists(#first, :audit)";
    }
    return dynamo::UpdateItemRequest{.table = table,
                                     .key = marker_key(),
                                     .update = update,
                                     .condition = "#seq = :seen",
                                     .attributes = attributes};
}

dynamo::TransactWriteItem new_item(const std::string& table, Item item) {
    return dynamo::PutItemRequest{.table = table,
                                  .item = std::move(item),
                                  .condition = "attribute_not_exists(#pk)",
                                  .attributes = names({{"#pk", kPartitionKey}})};
}

// A cancellation no retry would cure (ValidationError, ItemCollectionSizeLimitExceeded, …).
bool lasting_reason(const dynamo::DynamoError& error) {
    for (const auto& reason : error.cancellation_reasons) {
        const auto& code = reason.code;
        const bool passes = code == "None" || code == "ConditionalCheckFailed" ||
                            code == "TransactionConflict" || code == "ThrottlingError" ||
                            code == "ProvisionedThroughputExceeded" ||
                            code == "RequestLimitExceeded";
        if (!passes) return true;
    }
    return false;
}

// A short, jittered pause before trying a conflicted or throttled transaction again.
void pause(int round, Clock::time_point deadline) {
    static thread_local std::mt19937 random{std::random_device{}()};
    const int ceiling = std::min(20 << std::min(round, 5), 500);
    const auto wait =
        std::chrono::milliseconds(std::uniform_int_distribution<int>(1, ceiling)(random));
    if (Clock::now() + wait < deadline) std::this_thread::sleep_for(wait);
}

std::chrono::milliseconds left_until(Clock::time_point deadline) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
}

}  // namespace

CommitResult FlagTable::commit(const ChangeSet& change) {
    CommitResult result;
    std::set<std::string> seen;
    for (const auto& write : change.tenants) {
        if (!seen.insert(write.tenant).second) {
            result.status = CommitStatus::refused;
            result.message = "tenant " + write.tenant + " appears twice in one change";
            return result;
        }
    }
    if (change.transaction_items() > kMaxTransactionItems) {
        result.status = CommitStatus::refused;
        result.message = "a change of " + std::to_string(change.tenants.size()) +
                         " tenants needs " + std::to_string(change.transaction_items()) +
                         " items in one DynamoDB transaction, which takes at most " +
                         std::to_string(kMaxTransactionItems) + ": split it into smaller changes";
        return result;
    }
    const auto& table = settings_.table;
    const auto deadline = Clock::now() + settings_.call_timeout;
    const auto now_ms = unix_now_ms();
    const auto audit_at = change.audit.empty() ? std::string() : audit_partition(now_ms);
    std::int64_t seq = seq_hint();
    for (int round = 0;; ++round) {
        const std::int64_t next = seq + 1;
        dynamo::TransactWriteRequest request;
        std::vector<Slot> slots;
        LogEntry log{next, now_ms, change.by, {}, {}, change.config.has_value()};
        for (const auto& write : change.tenants) {
            request.items.push_back(entry_write(table, write, next));
            slots.push_back({Role::entry, write.tenant});
            log.entries.push_back(write.tenant);
            if (write.door == DoorCondition::must_be_open) {
                request.items.push_back(
                    dynamo::ConditionCheck{.table = table,
                                           .key = door_key(write.tenant),
                                           .condition = "attribute_not_exists(#pk)",
                                           .attributes = names({{"#pk", kPartitionKey}})});
                slots.push_back({Role::door, write.tenant});
            } else if (write.door == DoorCondition::reopen) {
                request.items.push_back(
                    dynamo::DeleteItemRequest{.table = table,
                                              .key = door_key(write.tenant),
                                              .condition = "attribute_exists(#pk)",
                                              .attributes = names({{"#pk", kPartitionKey}})});
                slots.push_back({Role::door, write.tenant});
                log.doors.push_back(write.tenant);
            }
        }
        request.items.push_back(config_write(table, change, next));
        slots.push_back({Role::config, {}});
        request.items.push_back(marker_write(table, seq, audit_at));
        slots.push_back({Role::marker, {}});
        request.items.push_back(new_item(table, encode_log(log)));
        slots.push_back({Role::log, {}});
        if (!change.audit.empty()) {
            AuditRecord record{next, now_ms, log.entries, change.audit};
            request.items.push_back(new_item(table, encode_audit(record)));
            slots.push_back({Role::audit, {}});
        }

        auto written = client_->transact_write(
            std::move(request), dynamo::CallOptions{.timeout = left_until(deadline)});
        if (written) {
            note_seq(next);
            result.status = CommitStatus::committed;
            result.seq = next;
            return result;
        }
        const auto& error = written.error();
        if (error.kind != ErrorKind::transaction_cancelled || lasting_reason(error)) {
            const auto failure = store_error(error, table);
            result.status = failure.kind == StoreErrorKind::unavailable ? CommitStatus::unavailable
                                                                        : CommitStatus::refused;
            result.message = failure.message;
            result.maybe_applied = error.maybe_applied;
            return result;
        }
        bool reread_marker = false;
        for (std::size_t i = 0; i < error.cancellation_reasons.size() && i < slots.size(); ++i) {
            const auto& code = error.cancellation_reasons[i].code;
            if (code == "ConditionalCheckFailed") {
                const auto role = slots[i].role;
                if (role == Role::entry || role == Role::door) {
                    result.changed_tenants.push_back(slots[i].tenant);
                } else if (role == Role::config) {
                    result.config_changed = true;
                } else {
                    reread_marker = true;  // another writer took this seq
                }
            }
        }
        if (!result.changed_tenants.empty() || result.config_changed) {
            std::string what;
            for (const auto& tenant : result.changed_tenants) {
                what += (what.empty() ? "tenant " : ", tenant ") + tenant;
            }
            if (result.config_changed)
                what += (what.empty() ? "" : ", ") + std::string("the config");
            result.status = CommitStatus::base_changed;
            result.message = "changed in the table since this change was decided on: " + what +
                             "; nothing was written";
            return result;
        }
        if (left_until(deadline).count() <= 0) {
            result.status = CommitStatus::unavailable;
            result.message = "table " + table +
                             ": the change kept losing races to other writers "
                             "or being throttled until its time ran out; nothing was written";
            return result;
        }
        if (reread_marker) {
            auto marker = read_marker();
            if (!marker) {
                result.status = marker.error().kind == StoreErrorKind::unavailable
                                    ? CommitStatus::unavailable
                                    : CommitStatus::refused;
                result.message = marker.error().message;
                return result;
            }
            seq = marker->seq;
        } else {
            pause(round, deadline);  // a conflict or throttling inside the transaction
        }
    }
}

StoreResult<DoorsWritten> FlagTable::close_doors(const std::vector<flags::DoorClosing>& closings,
                                                 std::chrono::milliseconds timeout) {
    if (closings.size() > kMaxDoorsPerWrite) {
        return StoreError{StoreErrorKind::refused,
                          "at most " + std::to_string(kMaxDoorsPerWrite) + " doors per write"};
    }
    const auto& table = settings_.table;
    const auto deadline = Clock::now() + timeout;
    DoorsWritten written;
    std::vector<flags::DoorClosing> pending = closings;
    for (auto& closing : pending) {
        if (closing.instance.empty()) closing.instance = settings_.instance;
    }
    std::int64_t seq = seq_hint();
    for (int round = 0; !pending.empty(); ++round) {
        const std::int64_t next = seq + 1;
        dynamo::TransactWriteRequest request;
        LogEntry log{next, unix_now_ms(), settings_.instance, {}, {}, false};
        for (const auto& closing : pending) {
            auto put = dynamo::PutItemRequest{.table = table,
                                              .item = encode_door(closing, next),
                                              .condition = "attribute_not_exists(#pk)",
                                              .attributes = names({{"#pk", kPartitionKey}}),
                                              .return_item_on_condition_failure = true};
            request.items.push_back(std::move(put));
            log.doors.push_back(closing.tenant);
        }
        request.items.push_back(marker_write(table, seq, {}));
        request.items.push_back(new_item(table, encode_log(log)));

        auto answer = client_->transact_write(std::move(request),
                                              dynamo::CallOptions{.timeout = left_until(deadline)});
        if (answer) {
            note_seq(next);
            written.seq = next;
            written.closed.insert(written.closed.end(), pending.begin(), pending.end());
            return written;
        }
        const auto& error = answer.error();
        if (error.kind != ErrorKind::transaction_cancelled || lasting_reason(error)) {
            return store_error(error, table);
        }
        const auto& reasons = error.cancellation_reasons;
        std::vector<flags::DoorClosing> still;
        for (std::size_t i = 0; i < pending.size(); ++i) {
            const bool failed = i < reasons.size() && reasons[i].code == "ConditionalCheckFailed";
            if (!failed) {
                still.push_back(std::move(pending[i]));
                continue;
            }
            // Closed before, by anyone: the closing that counts is the one in the table.
            std::optional<Item> item = reasons[i].item;
            if (!item) {  // the answer did not carry it: read it
                auto read = get_items({door_key(pending[i].tenant)});
                if (!read) return read.error();
                if (!read->empty()) item = read->front();
            }
            if (!item) {  // reopened meanwhile: close it again next round
                still.push_back(std::move(pending[i]));
                continue;
            }
            auto existing = decode_door(*item);
            if (!existing) return invalid(existing.error());
            written.already_closed.push_back(std::move(*existing));
        }
        bool reread_marker = false;
        for (std::size_t i = pending.size(); i < reasons.size(); ++i) {
            reread_marker = reread_marker || reasons[i].code == "ConditionalCheckFailed";
        }
        const bool some_were_closed = still.size() < pending.size();
        pending = std::move(still);
        if (pending.empty()) break;
        if (left_until(deadline).count() <= 0) {
            return StoreError{StoreErrorKind::unavailable,
                              "table " + table +
                                  ": door closings kept losing races to other "
                                  "writers or being throttled until their time ran out"};
        }
        if (reread_marker) {
            auto marker = read_marker();
            if (!marker) return marker.error();
            seq = marker->seq;
        } else if (!some_were_closed) {
            pause(round, deadline);  // a conflict or throttling inside the transaction
        }
    }
    return written;
}

}  // namespace switchyard::flag_table
