#pragma once
// DynamoDB's typed JSON ({"S": "acme"}, {"N": "42"}, {"M": {...}}) held in nlohmann::json, with
// small builders and readers, and a lossless bridge to plain JSON for documents stored as maps.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::dynamo {

using AttributeValue = nlohmann::json;  // one typed value: {"S": "acme"}
using Item = nlohmann::json;            // attribute name -> AttributeValue (an object)

namespace av {

AttributeValue s(std::string_view text);
AttributeValue n(std::int64_t number);
AttributeValue n_text(std::string_view number);  // a number kept as DynamoDB's decimal text
AttributeValue boolean(bool value);
AttributeValue null();
AttributeValue m(Item members);
AttributeValue l(std::vector<AttributeValue> elements);

// Readers: nullopt (or nullptr) when the attribute is absent or of another type.
std::optional<std::string> get_s(const Item& item, std::string_view name);
std::optional<std::int64_t> get_n(const Item& item, std::string_view name);
std::optional<bool> get_bool(const Item& item, std::string_view name);
const Item* get_m(const Item& item, std::string_view name);
const nlohmann::json* get_l(const Item& item, std::string_view name);

// Plain JSON -> typed: string S, integer or float N, bool BOOL, null NULL, object M, array L.
AttributeValue from_json(const nlohmann::json& plain);
Item item_from_json(const nlohmann::json& plain_object);
// Typed -> plain JSON; N becomes an integer when it is one. Throws std::invalid_argument on a
// value that is not DynamoDB JSON (the error names the type it found).
nlohmann::json to_json(const AttributeValue& typed);
nlohmann::json item_to_json(const Item& item);

}  // namespace av
}  // namespace switchyard::dynamo
