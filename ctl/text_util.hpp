#pragma once
// Small pieces every view of an admin answer needs: a field as text whatever its JSON type
// (an odd answer prints oddly rather than crashing the CLI), times, percentages, shell quoting.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/utc_time.hpp"

namespace switchyard::ctl {

// object[key], or null when `object` is no object or lacks it: never throws, whatever came back.
const nlohmann::json& member(const nlohmann::json& object, std::string_view key);

// object[key] as text: strings as they are, numbers and booleans printed, "-" when absent/null.
std::string field_text(const nlohmann::json& object, std::string_view key,
                       std::string_view absent = "-");

// 5 → "5%", 12.5 → "12.5%", 0.01 → "0.01%".
std::string percent_text(double percent);

// "a, b, c"
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

// An ETag as the API gives it ("\"3f2a…\"") → as a human reads and types it (3f2a…), and back.
std::string version_text(std::string_view etag);
std::string etag_of_version(std::string_view version);

// A command-line word as a POSIX shell would need it to read it back unchanged.
std::string shell_quote(std::string_view word);

}  // namespace switchyard::ctl
