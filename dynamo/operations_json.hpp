#pragma once
// The operations' requests as JSON 1.0 protocol bodies, and their answers back in plain types.
// No I/O: what the client sends can be checked without a server.
#include <nlohmann/json.hpp>

#include "dynamo/operations.hpp"

namespace switchyard::dynamo {

nlohmann::json to_request(const GetItemRequest& request);
nlohmann::json to_request(const PutItemRequest& request);
nlohmann::json to_request(const UpdateItemRequest& request);
nlohmann::json to_request(const DeleteItemRequest& request);
nlohmann::json to_request(const QueryRequest& request);
nlohmann::json to_request(const ScanRequest& request);
nlohmann::json to_request(const TransactWriteRequest& request);
nlohmann::json to_request(const CreateTableRequest& request);

Page page_from(const nlohmann::json& answer);
WriteResult write_result_from(const nlohmann::json& answer);
TableDescription table_from(
    const nlohmann::json& answer);  // {"Table": ...} or {"TableDescription": ...}

}  // namespace switchyard::dynamo
