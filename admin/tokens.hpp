#pragma once
// Admin API bearer tokens. The tokens file keeps, per token, a name, a role and the SHA-256 of
// the token, never the token itself:
//   {"tokens": [{"name": "alice", "role": "operator", "sha256": "9f86d0…"}]}
// A presented token is hashed and compared with every stored hash in constant time.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace switchyard::admin {

enum class Role { viewer, operator_ };

std::string_view to_string(Role role) noexcept;
std::optional<Role> parse_role(std::string_view text) noexcept;

struct Principal {
    std::string name;
    Role role = Role::viewer;
};

class TokenStore {
  public:
    static Result<TokenStore> load(const std::filesystem::path& file);
    static TokenStore empty() { return TokenStore{}; }

    // From an Authorization header value ("Bearer <token>"); nullopt when absent or unknown.
    std::optional<Principal> authenticate(std::string_view authorization) const;
    std::size_t size() const noexcept { return entries_.size(); }

  private:
    struct Entry {
        Principal principal;
        std::string sha256;  // 32 raw bytes
    };
    std::vector<Entry> entries_;
};

// The tokens file, re-read when it changes (so `switchyard token add` needs no restart); a
// file that no longer loads keeps the tokens it had, and says so once.
class TokenFile {
  public:
    explicit TokenFile(std::filesystem::path file) : file_(std::move(file)) {}
    Result<bool> load();  // at start: a bad file refuses to start
    std::optional<Principal> authenticate(std::string_view authorization);

  private:
    std::filesystem::path file_;
    TokenStore store_ = TokenStore::empty();
    std::filesystem::file_time_type loaded_mtime_{};
    std::uintmax_t loaded_size_ = 0;
};

// `switchyard token add`: a new random token, its hash stored in `file` (created if absent;
// replaced atomically). Returns the token, to be shown once.
Result<std::string> add_token(const std::filesystem::path& file, const std::string& name,
                              Role role);

std::string sha256_hex(std::string_view data);

}  // namespace switchyard::admin
