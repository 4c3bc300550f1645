#include "config/json_fields.hpp"

namespace switchyard::config {

void fail(const std::string& path, const std::string& what) { throw FieldError(path + ": " + what); }

const nlohmann::json& require_object(const nlohmann::json& value, const std::string& path) {
    if (!value.is_object()) fail(path, "must be an object");
    return value;
}

void reject_unknown_keys(const nlohmann::json& object, const std::string& path,
                         std::initializer_list<std::string_view> known) {
    for (const auto& [key, _] : object.items()) {
        bool found = false;
        for (auto k : known) found = found || k == key;
        if (!found) fail(path.empty() ? key : path + "." + key, "unknown field");
    }
}

namespace {
std::string child(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}
}  // namespace

std::optional<std::string> optional_string(const nlohmann::json& object, std::string_view key,
                                           const std::string& path) {
    auto it = object.find(key);
    if (it == object.end()) return std::nullopt;
    if (!it->is_string()) fail(child(path, key), "must be a string");
    return it->get<std::string>();
}

std::optional<std::uint64_t> optional_unsigned(const nlohmann::json& object, std::string_view key,
                                               const std::string& path, std::uint64_t max) {
    auto it = object.find(key);
    if (it == object.end()) return std::nullopt;
    if (!it->is_number_unsigned()) fail(child(path, key), "must be a non-negative integer");
    const auto value = it->get<std::uint64_t>();
    if (value > max) fail(child(path, key), "must be at most " + std::to_string(max));
    return value;
}

std::optional<bool> optional_bool(const nlohmann::json& object, std::string_view key,
                                  const std::string& path) {
    auto it = object.find(key);
    if (it == object.end()) return std::nullopt;
    if (!it->is_boolean()) fail(child(path, key), "must be true or false");
    return it->get<bool>();
}

}  // namespace switchyard::config
