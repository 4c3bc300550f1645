#include "dynamo/operations_json.hpp"

namespace switchyard::dynamo {
namespace {

using json = nlohmann::json;

void add_attributes(json& body, const ExpressionAttributes& attributes) {
    // DynamoDB refuses an empty ExpressionAttributeNames or ExpressionAttributeValues map.
    if (!attributes.names.empty()) body["ExpressionAttributeNames"] = attributes.names;
    if (!attributes.values.empty()) body["ExpressionAttributeValues"] = attributes.values;
}

void add_if(json& body, const char* name, const std::string& value) {
    if (!value.empty()) body[name] = value;
}

void add_condition(json& body, const std::string& condition, bool return_item_on_failure) {
    add_if(body, "ConditionExpression", condition);
    if (return_item_on_failure) body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD";
}

json put_body(const PutItemRequest& request) {
    json body = {{"TableName", request.table}, {"Item", request.item}};
    add_condition(body, request.condition, request.return_item_on_condition_failure);
    add_attributes(body, request.attributes);
    return body;
}

json update_body(const UpdateItemRequest& request) {
    json body = {{"TableName", request.table}, {"Key", request.key}};
    add_if(body, "UpdateExpression", request.update);
    add_condition(body, request.condition, request.return_item_on_condition_failure);
    add_attributes(body, request.attributes);
    return body;
}

json delete_body(const DeleteItemRequest& request) {
    json body = {{"TableName", request.table}, {"Key", request.key}};
    add_condition(body, request.condition, request.return_item_on_condition_failure);
    add_attributes(body, request.attributes);
    return body;
}

json check_body(const ConditionCheck& request) {
    json body = {{"TableName", request.table}, {"Key", request.key}};
    add_condition(body, request.condition, request.return_item_on_condition_failure);
    add_attributes(body, request.attributes);
    return body;
}

json transact_item(const TransactWriteItem& item) {
    struct Visitor {
        json operator()(const PutItemRequest& r) const { return {{"Put", put_body(r)}}; }
        json operator()(const UpdateItemRequest& r) const { return {{"Update", update_body(r)}}; }
        json operator()(const DeleteItemRequest& r) const { return {{"Delete", delete_body(r)}}; }
        json operator()(const ConditionCheck& r) const {
            return {{"ConditionCheck", check_body(r)}};
        }
    };
    return std::visit(Visitor{}, item);
}

double capacity_units(const json& answer) {
    const auto it = answer.find("ConsumedCapacity");
    if (it == answer.end()) return 0;
    double units = 0;
    // TransactWriteItems answers a list (one entry per table), the others one object.
    for (const auto& entry : it->is_array() ? *it : json::array({*it})) {
        units += entry.value("CapacityUnits", 0.0);
    }
    return units;
}

// What a Query and a Scan have in common: a table or index, read page by page.
template <typename PagedRead>
json paged_read(const PagedRead& request) {
    json body = {{"TableName", request.table},
                 {"ConsistentRead", request.consistent_read},
                 {"ReturnConsumedCapacity", "TOTAL"}};
    add_if(body, "IndexName", request.index);
    add_if(body, "FilterExpression", request.filter);
    add_if(body, "ProjectionExpression", request.projection);
    add_attributes(body, request.attributes);
    if (request.limit) body["Limit"] = *request.limit;
    if (request.exclusive_start_key) body["ExclusiveStartKey"] = *request.exclusive_start_key;
    return body;
}

json key_schema_entry(const KeyAttribute& key, const char* role) {
    return {{"AttributeName", key.name}, {"KeyType", role}};
}

json attribute_definition(const KeyAttribute& key) {
    return {{"AttributeName", key.name}, {"AttributeType", key.type}};
}

}  // namespace

json to_request(const GetItemRequest& request) {
    json body = {{"TableName", request.table},
                 {"Key", request.key},
                 {"ConsistentRead", request.consistent_read}};
    add_if(body, "ProjectionExpression", request.projection);
    add_attributes(body, request.attributes);
    return body;
}

json to_request(const PutItemRequest& request) {
    json body = put_body(request);
    if (request.return_old_item) body["ReturnValues"] = "ALL_OLD";
    body["ReturnConsumedCapacity"] = "TOTAL";
    return body;
}

json to_request(const UpdateItemRequest& request) {
    json body = update_body(request);
    if (request.return_values != "NONE") body["ReturnValues"] = request.return_values;
    body["ReturnConsumedCapacity"] = "TOTAL";
    return body;
}

json to_request(const DeleteItemRequest& request) {
    json body = delete_body(request);
    if (request.return_old_item) body["ReturnValues"] = "ALL_OLD";
    body["ReturnConsumedCapacity"] = "TOTAL";
    return body;
}

json to_request(const QueryRequest& request) {
    json body = paged_read(request);
    body["KeyConditionExpression"] = request.key_condition;
    body["ScanIndexForward"] = request.forward;
    return body;
}

json to_request(const ScanRequest& request) { return paged_read(request); }

json to_request(const TransactWriteRequest& request) {
    json items = json::array();
    for (const auto& item : request.items) items.push_back(transact_item(item));
    json body = {{"TransactItems", std::move(items)}, {"ReturnConsumedCapacity", "TOTAL"}};
    add_if(body, "ClientRequestToken", request.client_request_token);
    return body;
}

json to_request(const CreateTableRequest& request) {
    json schema = json::array({key_schema_entry(request.partition_key, "HASH")});
    json definitions = json::array({attribute_definition(request.partition_key)});
    if (request.sort_key) {
        schema.push_back(key_schema_entry(*request.sort_key, "RANGE"));
        definitions.push_back(attribute_definition(*request.sort_key));
    }
    return {{"TableName", request.table},
            {"KeySchema", std::move(schema)},
            {"AttributeDefinitions", std::move(definitions)},
            {"BillingMode", request.billing_mode}};
}

Page page_from(const json& answer) {
    Page page;
    if (const auto items = answer.find("Items"); items != answer.end() && items->is_array()) {
        page.items.assign(items->begin(), items->end());
    }
    if (const auto key = answer.find("LastEvaluatedKey"); key != answer.end() && !key->empty()) {
        page.last_evaluated_key = *key;
    }
    page.scanned_count = answer.value("ScannedCount", std::int64_t{0});
    page.consumed_read_units = capacity_units(answer);
    return page;
}

WriteResult write_result_from(const json& answer) {
    WriteResult result;
    if (const auto attributes = answer.find("Attributes"); attributes != answer.end()) {
        result.attributes = *attributes;
    }
    result.consumed_write_units = capacity_units(answer);
    return result;
}

TableDescription table_from(const json& answer) {
    TableDescription description;
    auto it = answer.find("Table");
    if (it == answer.end()) it = answer.find("TableDescription");
    if (it == answer.end() || !it->is_object()) return description;
    description.raw = *it;
    description.name = it->value("TableName", std::string());
    description.status = it->value("TableStatus", std::string());
    description.item_count = it->value("ItemCount", std::int64_t{0});
    return description;
}

}  // namespace switchyard::dynamo
