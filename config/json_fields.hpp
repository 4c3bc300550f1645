#pragma once
// Typed reads of config fields that fail with the field's path, and unknown-key detection.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace switchyard::config {

// Thrown while parsing only; parse_config turns it into an Error. Never crosses the module.
struct FieldError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& path, const std::string& what);

const nlohmann::json& require_object(const nlohmann::json& value, const std::string& path);
void reject_unknown_keys(const nlohmann::json& object, const std::string& path,
                         std::initializer_list<std::string_view> known);

std::optional<std::string> optional_string(const nlohmann::json& object, std::string_view key,
                                           const std::string& path);
std::optional<std::uint64_t> optional_unsigned(const nlohmann::json& object, std::string_view key,
                                               const std::string& path, std::uint64_t max);
std::optional<bool> optional_bool(const nlohmann::json& object, std::string_view key,
                                  const std::string& path);

}  // namespace switchyard::config
