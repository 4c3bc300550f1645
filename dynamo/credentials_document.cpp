#include "dynamo/credentials_document.hpp"

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace switchyard::dynamo {
namespace {

std::string text_field(const nlohmann::json& document, const char* name) {
    const auto it = document.find(name);
    return it != document.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
    std::tm parts{};
    int consumed = 0;
    const std::string copy(text);
    if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &parts.tm_year, &parts.tm_mon,
                    &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &consumed) != 6) {
        return std::nullopt;
    }
    std::string_view rest = std::string_view(copy).substr(static_cast<std::size_t>(consumed));
    if (!rest.empty() && rest.front() == '.') {
        rest.remove_prefix(1);
        while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') rest.remove_prefix(1);
    }
    long offset_seconds = 0;
    if (rest == "Z" || rest == "z") {
        offset_seconds = 0;
    } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
        const int hours = (rest[1] - '0') * 10 + (rest[2] - '0');
        const int minutes = (rest[4] - '0') * 10 + (rest[5] - '0');
        offset_seconds = (rest[0] == '-' ? -1 : 1) * (hours * 3600L + minutes * 60L);
    } else {
        return std::nullopt;
    }
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    const std::time_t utc = timegm(&parts);
    if (utc == static_cast<std::time_t>(-1)) return std::nullopt;
    return std::chrono::system_clock::from_time_t(utc - offset_seconds);
}

Result<Credentials> parse_credentials_document(std::string_view body, std::string_view source) {
    const auto document = nlohmann::json::parse(body, nullptr, false);
    if (!document.is_object()) {
        return Error{std::string(source) + ": the answer is not a JSON object"};
    }
    const auto code = text_field(document, "Code");
    if (!code.empty() && code != "Success") {
        return Error{std::string(source) + ": Code is " + code + ", not Success (" +
                     text_field(document, "Message") + ")"};
    }
    Credentials credentials;
    credentials.access_key_id = text_field(document, "AccessKeyId");
    credentials.secret_access_key = Secret(text_field(document, "SecretAccessKey"));
    credentials.session_token = Secret(text_field(document, "Token"));
    credentials.source = std::string(source);
    if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
        return Error{std::string(source) + ": AccessKeyId or SecretAccessKey is missing"};
    }
    const auto expiration = text_field(document, "Expiration");
    if (!expiration.empty()) {
        credentials.expiration = parse_iso8601(expiration);
        if (!credentials.expiration) {
            return Error{std::string(source) + ": Expiration \"" + expiration +
                         "\" is not an ISO 8601 time"};
        }
    }
    return credentials;
}

}  // namespace switchyard::dynamo
