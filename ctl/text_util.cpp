#include "ctl/text_util.hpp"

#include <cmath>
#include <ctime>
#include <string>

namespace switchyard::ctl {

const nlohmann::json& member(const nlohmann::json& object, std::string_view key) {
    static const nlohmann::json null;
    if (!object.is_object()) return null;
    const auto it = object.find(key);
    return it == object.end() ? null : *it;
}

std::string field_text(const nlohmann::json& object, std::string_view key,
                       std::string_view absent) {
    const auto& value = member(object, key);
    if (value.is_null()) return std::string(absent);
    if (value.is_string()) return value.get<std::string>();
    return value.dump();
}

std::string percent_text(double percent) {
    // The API keeps hundredths of a percent: two decimals say everything, trailing zeros nothing.
    auto text = std::to_string(std::llround(percent * 100.0));
    const bool negative = !text.empty() && text.front() == '-';
    if (negative) text.erase(0, 1);
    if (text.size() < 3) text.insert(0, 3 - text.size(), '0');
    text.insert(text.size() - 2, ".");
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
    return (negative ? "-" : "") + text + "%";
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

std::string version_text(std::string_view etag) {
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
        etag = etag.substr(1, etag.size() - 2);
    }
    return std::string(etag);
}

std::string etag_of_version(std::string_view version) {
    if (version.empty() || version.front() == '"' || version.rfind("W/", 0) == 0) {
        return std::string(version);
    }
    return "\"" + std::string(version) + "\"";
}

std::string shell_quote(std::string_view word) {
    const bool plain = !word.empty() && word.find_first_not_of(
                                            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                            "0123456789_-./:=@%+,") == std::string_view::npos;
    if (plain) return std::string(word);
    std::string out = "'";
    for (const char c : word) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

}  // namespace switchyard::ctl
