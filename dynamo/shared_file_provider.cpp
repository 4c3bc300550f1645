#include "dynamo/shared_file_provider.hpp"

#include <fstream>
#include <map>
#include <sstream>

namespace switchyard::dynamo {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

// The key = value lines of section [profile]; nullopt when there is no such section.
std::optional<std::map<std::string, std::string, std::less<>>> section(std::string_view text,
                                                                       std::string_view profile) {
    std::optional<std::map<std::string, std::string, std::less<>>> found;
    bool inside = false;
    while (!text.empty()) {
        const auto end = text.find('\n');
        const auto line = trim(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (line.empty() || line.front() == '#' || line.front() == ';') continue;
        if (line.front() == '[' && line.back() == ']') {
            inside = trim(line.substr(1, line.size() - 2)) == profile;
            if (inside && !found) found.emplace();
            continue;
        }
        const auto equals = line.find('=');
        if (!inside || equals == std::string_view::npos) continue;
        (*found)[std::string(trim(line.substr(0, equals)))] =
            std::string(trim(line.substr(equals + 1)));
    }
    return found;
}

std::optional<std::string> credentials_path(const Environment& environment) {
    if (auto path = environment("AWS_SHARED_CREDENTIALS_FILE")) {
        if (path->starts_with("~/")) {
            if (auto home = environment("HOME")) return *home + path->substr(1);
        }
        return path;
    }
    if (auto home = environment("HOME")) return *home + "/.aws/credentials";
    return std::nullopt;
}

}  // namespace

CredentialsLookup parse_credentials_file(std::string_view text, std::string_view profile,
                                         std::string_view path) {
    const auto keys = section(text, profile);
    if (!keys) return no_credentials_here();
    const std::string where = std::string(path) + " [" + std::string(profile) + "]";
    const auto key_id = keys->find("aws_access_key_id");
    const auto secret = keys->find("aws_secret_access_key");
    if (key_id == keys->end() || key_id->second.empty()) {
        return Error{where + ": aws_access_key_id is missing"};
    }
    if (secret == keys->end() || secret->second.empty()) {
        return Error{where + ": aws_secret_access_key is missing"};
    }
    Credentials credentials;
    credentials.access_key_id = key_id->second;
    credentials.secret_access_key = Secret(secret->second);
    if (const auto token = keys->find("aws_session_token"); token != keys->end()) {
        credentials.session_token = Secret(token->second);
    }
    credentials.source = "shared file " + where;
    return CredentialsLookup(std::move(credentials));
}

SharedFileProvider::SharedFileProvider(Environment environment)
    : environment_(std::move(environment)) {}

CredentialsLookup SharedFileProvider::load() {
    const auto path = credentials_path(environment_);
    if (!path) return no_credentials_here();
    std::ifstream file(*path, std::ios::binary);
    if (!file) return no_credentials_here();
    std::ostringstream text;
    text << file.rdbuf();
    const auto chosen = environment_("AWS_PROFILE");
    const std::string profile = chosen.value_or("default");
    auto found = parse_credentials_file(text.str(), profile, *path);
    // A profile named on purpose must exist; the default one may be absent.
    if (found && !found.value() && chosen) {
        return Error{"profile " + profile + " (AWS_PROFILE) is not in " + *path};
    }
    return found;
}

}  // namespace switchyard::dynamo
