#include "flag_table/flag_table.hpp"

#include <thread>

#include "flag_table/layout.hpp"

namespace switchyard::flag_table {
namespace {

namespace av = dynamo::av;
using dynamo::ErrorKind;
using dynamo::Item;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kBatchGetKeys = 100;  // DynamoDB's limit per BatchGetItem

}  // namespace

StoreError store_error(const dynamo::DynamoError& error, const std::string& table) {
    StoreError failure;
    switch (error.kind) {
        case ErrorKind::throttled:
        case ErrorKind::server_error:
        case ErrorKind::connection:
        case ErrorKind::timeout:
        case ErrorKind::transaction_conflict:
            failure.kind = StoreErrorKind::unavailable;
            break;
        case ErrorKind::table_not_found:
            failure.kind = StoreErrorKind::not_initialized;
            failure.message = error.message;  // names the table, the region and init-table
            return failure;
        default:
            failure.kind = StoreErrorKind::refused;
            break;
    }
    failure.message = "table " + table + ": " + error.message;
    return failure;
}

Result<std::unique_ptr<FlagTable>> FlagTable::open(TableSettings settings) {
    auto client = dynamo::Client::create(settings.client);
    if (!client) return client.error();
    return std::unique_ptr<FlagTable>(new FlagTable(std::move(settings), std::move(*client)));
}

FlagTable::FlagTable(TableSettings settings, std::unique_ptr<dynamo::Client> client)
    : settings_(std::move(settings)), client_(std::move(client)) {}

FlagTable::~FlagTable() = default;

dynamo::CallOptions FlagTable::call_options() const {
    return dynamo::CallOptions{.timeout = settings_.call_timeout};
}

StoreError FlagTable::invalid(const Error& error) const {
    return StoreError{StoreErrorKind::invalid_item,
                      "table " + settings_.table + ": " + error.message};
}

void FlagTable::note_seq(std::int64_t seq) noexcept {
    auto known = seq_hint_.load(std::memory_order_relaxed);
    while (seq > known && !seq_hint_.compare_exchange_weak(known, seq, std::memory_order_acq_rel)) {
    }
}

StoreResult<Marker> FlagTable::read_marker() {
    auto found = client_->get_item(
        dynamo::GetItemRequest{.table = settings_.table, .key = marker_key()}, call_options());
    if (!found) return store_error(found.error(), settings_.table);
    if (!found->has_value()) {
        return StoreError{StoreErrorKind::not_initialized,
                          "table " + settings_.table +
                              " has no switchyard marker item: create it with switchyard ctl "
                              "init-table (or ctl import)"};
    }
    auto marker = decode_marker(**found);
    if (!marker) return invalid(marker.error());
    if (marker->format != kFormat || marker->shards != kShards) {
        return StoreError{StoreErrorKind::invalid_item,
                          "table " + settings_.table + " has format " +
                              std::to_string(marker->format) + " with " +
                              std::to_string(marker->shards) +
                              " shards; this switchyard reads "
                              "format " +
                              std::to_string(kFormat) + " with " + std::to_string(kShards)};
    }
    note_seq(marker->seq);
    return *marker;
}

StoreResult<std::vector<Item>> FlagTable::get_items(const std::vector<Item>& keys) {
    std::vector<Item> items;
    const auto deadline = Clock::now() + settings_.call_timeout;
    for (std::size_t start = 0; start < keys.size(); start += kBatchGetKeys) {
        nlohmann::json wanted = nlohmann::json::array();
        for (std::size_t i = start; i < std::min(keys.size(), start + kBatchGetKeys); ++i) {
            wanted.push_back(keys[i]);
        }
        // DynamoDB may answer part of a batch and hand the rest back (UnprocessedKeys).
        for (int round = 0; !wanted.empty(); ++round) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) {
                return StoreError{StoreErrorKind::unavailable,
                                  "table " + settings_.table +
                                      ": BatchGetItem kept leaving keys unprocessed (throttled)"};
            }
            const nlohmann::json body{
                {"RequestItems",
                 {{settings_.table, {{"Keys", wanted}, {"ConsistentRead", true}}}}}};
            auto answer = client_->call("BatchGetItem", body, settings_.table,
                                        dynamo::CallOptions{.timeout = left});
            if (!answer) return store_error(answer.error(), settings_.table);
            if (const auto it = answer->find("Responses"); it != answer->end()) {
                if (const auto got = it->find(settings_.table); got != it->end()) {
                    for (const auto& item : *got) items.push_back(item);
                }
            }
            wanted = nlohmann::json::array();
            if (const auto it = answer->find("UnprocessedKeys"); it != answer->end()) {
                if (const auto rest = it->find(settings_.table); rest != it->end()) {
                    wanted = rest->value("Keys", nlohmann::json::array());
                }
            }
            if (!wanted.empty()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(std::min(25 << round, 500)));
            }
        }
    }
    return items;
}

StoreResult<InitReport> FlagTable::init_table(std::chrono::milliseconds wait) {
    InitReport report;
    const dynamo::CreateTableRequest create{.table = settings_.table,
                                            .partition_key = {kPartitionKey, "S"},
                                            .sort_key = dynamo::KeyAttribute{kSortKey, "S"}};
    auto created = client_->create_table(create, call_options());
    if (created) {
        report.table_created = true;
    } else if (created.error().kind != ErrorKind::table_exists) {
        return store_error(created.error(), settings_.table);
    }
    auto active = client_->wait_until_active(settings_.table, wait);
    if (!active) return store_error(active.error(), settings_.table);
    // An existing table of another shape would fail every write later: say so now.
    const auto& schema = active->raw.value("KeySchema", nlohmann::json::array());
    const bool ours = schema.size() == 2 && schema[0].value("AttributeName", "") == kPartitionKey &&
                      schema[1].value("AttributeName", "") == kSortKey;
    if (!ours) {
        return StoreError{StoreErrorKind::refused,
                          "table " + settings_.table +
                              " exists with another key schema; switchyard needs pk (HASH) and "
                              "sk (RANGE), both strings: " +
                              schema.dump()};
    }

    const nlohmann::json ttl{
        {"TableName", settings_.table},
        {"TimeToLiveSpecification", {{"Enabled", true}, {"AttributeName", kExpiresAt}}}};
    auto enabled = client_->call("UpdateTimeToLive", ttl, settings_.table, call_options());
    if (enabled) {
        report.ttl_enabled = true;
    } else if (enabled.error().message.find("already enabled") != std::string::npos) {
        report.ttl_enabled = true;
    } else {
        report.ttl_note = enabled.error().kind == ErrorKind::unsupported_operation
                              ? "this endpoint has no time to live: log items will not expire"
                              : enabled.error().message;
    }

    Marker marker{0, kFormat, kShards, {}};
    auto put_marker =
        client_->put_item(dynamo::PutItemRequest{.table = settings_.table,
                                                 .item = encode_marker(marker),
                                                 .condition = "attribute_not_exists(pk)"},
                          call_options());
    if (put_marker) {
        report.marker_created = true;
    } else if (put_marker.error().kind != ErrorKind::condition_failed) {
        return store_error(put_marker.error(), settings_.table);
    }
    auto put_config =
        client_->put_item(dynamo::PutItemRequest{.table = settings_.table,
                                                 .item = encode_config(ConfigValue{}, 1, 0),
                                                 .condition = "attribute_not_exists(pk)"},
                          call_options());
    if (!put_config && put_config.error().kind != ErrorKind::condition_failed) {
        return store_error(put_config.error(), settings_.table);
    }
    auto current = read_marker();
    if (!current) return current.error();
    report.seq = current->seq;
    return report;
}

}  // namespace switchyard::flag_table
