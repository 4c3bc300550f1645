#include "dynamo/attribute_value.hpp"

#include <charconv>
#include <stdexcept>

namespace switchyard::dynamo::av {
namespace {

const nlohmann::json* typed_member(const Item& item, std::string_view name, const char* type) {
    if (!item.is_object()) return nullptr;
    const auto it = item.find(name);
    if (it == item.end() || !it->is_object()) return nullptr;
    const auto value = it->find(type);
    return value == it->end() ? nullptr : &*value;
}

nlohmann::json number_to_json(const std::string& text) {
    std::int64_t integer = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), integer);
    if (error == std::errc() && end == text.data() + text.size()) return integer;
    return nlohmann::json::parse(text);
}

}  // namespace

AttributeValue s(std::string_view text) { return {{"S", std::string(text)}}; }
AttributeValue n(std::int64_t number) { return {{"N", std::to_string(number)}}; }
AttributeValue n_text(std::string_view number) { return {{"N", std::string(number)}}; }
AttributeValue boolean(bool value) { return {{"BOOL", value}}; }
AttributeValue null() { return {{"NULL", true}}; }
AttributeValue m(Item members) { return {{"M", std::move(members)}}; }

AttributeValue l(std::vector<AttributeValue> elements) {
    AttributeValue list = nlohmann::json::array();
    for (auto& element : elements) list.push_back(std::move(element));
    return {{"L", std::move(list)}};
}

std::optional<std::string> get_s(const Item& item, std::string_view name) {
    const auto* value = typed_member(item, name, "S");
    if (value == nullptr || !value->is_string()) return std::nullopt;
    return value->get<std::string>();
}

std::optional<std::int64_t> get_n(const Item& item, std::string_view name) {
    const auto* value = typed_member(item, name, "N");
    if (value == nullptr || !value->is_string()) return std::nullopt;
    const auto& text = value->get_ref<const std::string&>();
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return number;
}

std::optional<bool> get_bool(const Item& item, std::string_view name) {
    const auto* value = typed_member(item, name, "BOOL");
    if (value == nullptr || !value->is_boolean()) return std::nullopt;
    return value->get<bool>();
}

const Item* get_m(const Item& item, std::string_view name) {
    const auto* value = typed_member(item, name, "M");
    return value != nullptr && value->is_object() ? value : nullptr;
}

const nlohmann::json* get_l(const Item& item, std::string_view name) {
    const auto* value = typed_member(item, name, "L");
    return value != nullptr && value->is_array() ? value : nullptr;
}

AttributeValue from_json(const nlohmann::json& plain) {
    switch (plain.type()) {
        case nlohmann::json::value_t::string:
            return s(plain.get_ref<const std::string&>());
        case nlohmann::json::value_t::boolean:
            return boolean(plain.get<bool>());
        case nlohmann::json::value_t::null:
            return null();
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float:
            return n_text(plain.dump());
        case nlohmann::json::value_t::object:
            return m(item_from_json(plain));
        case nlohmann::json::value_t::array: {
            std::vector<AttributeValue> elements;
            for (const auto& element : plain) elements.push_back(from_json(element));
            return l(std::move(elements));
        }
        default:
            throw std::invalid_argument("cannot store a binary JSON value in DynamoDB");
    }
}

Item item_from_json(const nlohmann::json& plain_object) {
    Item item = nlohmann::json::object();
    for (const auto& [name, value] : plain_object.items()) item[name] = from_json(value);
    return item;
}

nlohmann::json to_json(const AttributeValue& typed) {
    if (!typed.is_object() || typed.size() != 1) {
        throw std::invalid_argument("not a DynamoDB attribute value: " + typed.dump());
    }
    const auto entry = typed.begin();
    const std::string& type = entry.key();
    const auto& value = entry.value();
    if (type == "S" && value.is_string()) return value;
    if (type == "N" && value.is_string()) return number_to_json(value.get<std::string>());
    if (type == "BOOL" && value.is_boolean()) return value;
    if (type == "NULL") return nullptr;
    if (type == "M" && value.is_object()) return item_to_json(value);
    if (type == "L" && value.is_array()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& element : value) list.push_back(to_json(element));
        return list;
    }
    throw std::invalid_argument("unsupported DynamoDB attribute type \"" + type + "\"");
}

nlohmann::json item_to_json(const Item& item) {
    nlohmann::json plain = nlohmann::json::object();
    for (const auto& [name, value] : item.items()) plain[name] = to_json(value);
    return plain;
}

}  // namespace switchyard::dynamo::av
