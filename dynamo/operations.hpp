#pragma once
// The requests and answers of the DynamoDB operations the flag store needs, in plain types.
// Expressions use DynamoDB's own syntax; `names` (#n -> attribute) and `values` (:v -> typed
// value) are the ExpressionAttributeNames and ExpressionAttributeValues maps.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "dynamo/attribute_value.hpp"

namespace switchyard::dynamo {

struct ExpressionAttributes {
    nlohmann::json names = nlohmann::json::object();   // "#stage": "stage"
    nlohmann::json values = nlohmann::json::object();  // ":v": {"N": "7"}
};

struct GetItemRequest {
    std::string table{};
    Item key{};
    bool consistent_read = true;  // the flag store reads what was just written
    std::string projection{};     // empty: every attribute
    ExpressionAttributes attributes{};
};

struct PutItemRequest {
    std::string table{};
    Item item{};
    std::string condition{};  // "attribute_not_exists(pk)", "version = :v"; empty: none
    ExpressionAttributes attributes{};
    bool return_old_item = false;                   // ReturnValues ALL_OLD
    bool return_item_on_condition_failure = false;  // DynamoError::item on condition_failed
};

struct UpdateItemRequest {
    std::string table{};
    Item key{};
    std::string update{};  // "SET #v = #v + :one"
    std::string condition{};
    ExpressionAttributes attributes{};
    std::string return_values = "NONE";  // NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW
    bool return_item_on_condition_failure = false;
};

struct DeleteItemRequest {
    std::string table{};
    Item key{};
    std::string condition{};
    ExpressionAttributes attributes{};
    bool return_old_item = false;
    bool return_item_on_condition_failure = false;
};

// A condition on an item that the transaction does not write.
struct ConditionCheck {
    std::string table{};
    Item key{};
    std::string condition{};
    ExpressionAttributes attributes{};
    bool return_item_on_condition_failure = false;
};

using TransactWriteItem =
    std::variant<PutItemRequest, UpdateItemRequest, DeleteItemRequest, ConditionCheck>;

struct TransactWriteRequest {
    std::vector<TransactWriteItem> items{};  // at most 100, no two on the same item
    // Makes a retried transaction idempotent for 10 minutes; the client makes one when empty.
    std::string client_request_token{};
};

struct QueryRequest {
    std::string table{};
    std::string index{};          // empty: the table itself
    std::string key_condition{};  // "pk = :pk AND begins_with(sk, :prefix)"
    std::string filter{};
    std::string projection{};
    ExpressionAttributes attributes{};
    std::optional<int> limit{};  // items evaluated per page
    bool consistent_read = true;
    bool forward = true;
    std::optional<Item> exclusive_start_key{};
};

struct ScanRequest {
    std::string table{};
    std::string index{};
    std::string filter{};
    std::string projection{};
    ExpressionAttributes attributes{};
    std::optional<int> limit{};  // items evaluated per page
    bool consistent_read = true;
    std::optional<Item> exclusive_start_key{};
};

// One page of a Query or a Scan. More pages follow while last_evaluated_key is set.
struct Page {
    std::vector<Item> items{};
    std::optional<Item> last_evaluated_key{};
    std::int64_t scanned_count = 0;
    double consumed_read_units = 0;  // what the page cost (ReturnConsumedCapacity TOTAL)
};

struct PagesSummary {
    std::size_t pages = 0;
    std::size_t items = 0;
    double consumed_read_units = 0;
    bool stopped_early = false;  // the page handler said stop, or max_pages was reached
};

struct WriteResult {
    std::optional<Item> attributes{};  // as asked with ReturnValues; none otherwise
    double consumed_write_units = 0;
};

struct TransactWriteResult {
    double consumed_write_units = 0;
};

struct KeyAttribute {
    std::string name{};
    std::string type = "S";  // S, N or B
};

struct CreateTableRequest {
    std::string table{};
    KeyAttribute partition_key{};
    std::optional<KeyAttribute> sort_key{};
    // On-demand capacity: no capacity planning, and a resync's cost is per request.
    std::string billing_mode = "PAY_PER_REQUEST";
};

struct TableDescription {
    std::string name{};
    std::string status{};  // CREATING, ACTIVE, UPDATING, DELETING
    std::int64_t item_count = 0;
    nlohmann::json raw{};  // the whole Table object
};

}  // namespace switchyard::dynamo
