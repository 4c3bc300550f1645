#include "admin/tokens.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "flags/file_replace.hpp"
#include "routing/ascii.hpp"

namespace switchyard::admin {

namespace {

constexpr std::string_view kBearer = "Bearer ";

std::string sha256_raw(std::string_view data) {
    std::string digest(SHA256_DIGEST_LENGTH, '\0');
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           reinterpret_cast<unsigned char*>(digest.data()));
    return digest;
}

std::string to_hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : bytes) {
        hex += kDigits[c >> 4];
        hex += kDigits[c & 15];
    }
    return hex;
}

std::optional<std::string> from_hex(std::string_view hex) {
    if (hex.size() % 2) return std::nullopt;
    std::string bytes;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        auto nibble = [](char c) -> int {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        };
        const int high = nibble(hex[i]), low = nibble(hex[i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        bytes += static_cast<char>(high * 16 + low);
    }
    return bytes;
}

Result<nlohmann::json> read_json(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return Error{file.string() + ": cannot read the tokens file"};
    std::stringstream text;
    text << in.rdbuf();
    auto json = nlohmann::json::parse(text.str(), nullptr, false);
    if (json.is_discarded()) return Error{file.string() + ": not valid JSON"};
    return json;
}

}  // namespace

std::string_view to_string(Role role) noexcept {
    return role == Role::operator_ ? "operator" : "viewer";
}

std::optional<Role> parse_role(std::string_view text) noexcept {
    if (text == "viewer") return Role::viewer;
    if (text == "operator") return Role::operator_;
    return std::nullopt;
}

std::string sha256_hex(std::string_view data) { return to_hex(sha256_raw(data)); }

Result<TokenStore> TokenStore::load(const std::filesystem::path& file) {
    auto json = read_json(file);
    if (!json) return json.error();
    const auto where = file.string() + ": ";
    if (!json->is_object() || !json->contains("tokens") || !(*json)["tokens"].is_array()) {
        return Error{where + "expected {\"tokens\": [{\"name\", \"role\", \"sha256\"}, …]}"};
    }
    TokenStore store;
    const auto& tokens = (*json)["tokens"];
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto& t = tokens[i];
        const auto path = where + "tokens[" + std::to_string(i) + "]";
        if (!t.is_object() || !t.contains("name") || !t["name"].is_string() ||
            !t.contains("role") || !t["role"].is_string() || !t.contains("sha256") ||
            !t["sha256"].is_string()) {
            return Error{path + ": needs string fields name, role and sha256"};
        }
        const auto role = parse_role(t["role"].get<std::string>());
        if (!role) return Error{path + ".role: must be viewer or operator"};
        auto hash = from_hex(t["sha256"].get<std::string>());
        if (!hash || hash->size() != SHA256_DIGEST_LENGTH) {
            return Error{path + ".sha256: must be 64 hex digits (the token's SHA-256)"};
        }
        store.entries_.push_back({{t["name"].get<std::string>(), *role}, std::move(*hash)});
    }
    return store;
}

std::optional<Principal> TokenStore::authenticate(std::string_view authorization) const {
    // The scheme is case-insensitive (RFC 9110 §11.1): "bearer x" is as good as "Bearer x".
    if (!routing::ascii_iequals(authorization.substr(0, kBearer.size()), kBearer)) {
        return std::nullopt;
    }
    const auto token = authorization.substr(kBearer.size());
    if (token.empty()) return std::nullopt;
    const auto presented = sha256_raw(token);
    std::optional<Principal> found;
    // Every entry is compared, in constant time each: timing says nothing about which matched.
    for (const auto& entry : entries_) {
        if (CRYPTO_memcmp(presented.data(), entry.sha256.data(), SHA256_DIGEST_LENGTH) == 0) {
            found = entry.principal;
        }
    }
    return found;
}

Result<bool> TokenFile::load() {
    std::error_code ec;
    const auto mtime = std::filesystem::last_write_time(file_, ec);
    const auto size = std::filesystem::file_size(file_, ec);
    auto store = TokenStore::load(file_);
    if (!store) return store.error();
    store_ = std::move(store.value());
    loaded_mtime_ = mtime;
    loaded_size_ = size;
    return true;
}

std::optional<Principal> TokenFile::authenticate(std::string_view authorization) {
    std::error_code ec;
    const auto mtime = std::filesystem::last_write_time(file_, ec);
    const auto size = std::filesystem::file_size(file_, ec);
    if (!ec && (mtime != loaded_mtime_ || size != loaded_size_)) {
        loaded_mtime_ = mtime;  // report a bad file once, not at every call
        loaded_size_ = size;
        if (auto store = TokenStore::load(file_)) {
            store_ = std::move(store.value());
        } else {
            spdlog::error("admin: {}; keeping the tokens loaded before", store.error().message);
        }
    }
    return store_.authenticate(authorization);
}

Result<std::string> add_token(const std::filesystem::path& file, const std::string& name,
                              Role role) {
    if (name.empty()) return Error{"a token needs a name"};
    nlohmann::json json{{"tokens", nlohmann::json::array()}};
    if (std::filesystem::exists(file)) {
        auto existing = read_json(file);
        if (!existing) return existing.error();
        if (!TokenStore::load(file)) return TokenStore::load(file).error();
        json = std::move(*existing);
    }
    for (const auto& t : json["tokens"]) {
        if (t["name"] == name) return Error{"a token named \"" + name + "\" exists already"};
    }
    unsigned char random[32];
    if (RAND_bytes(random, sizeof random) != 1) return Error{"no randomness available"};
    const std::string token =
        "sy_" + to_hex(std::string_view(reinterpret_cast<const char*>(random), sizeof random));
    json["tokens"].push_back(
        {{"name", name}, {"role", std::string(to_string(role))}, {"sha256", sha256_hex(token)}});
    auto written = flags::write_file_atomically(file, json.dump(2) + "\n");
    if (!written) return written.error();
    return token;
}

}  // namespace switchyard::admin
