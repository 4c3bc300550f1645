#pragma once
// The two primitives SigV4 is built from, over OpenSSL 3's EVP interfaces: SHA-256 and
// HMAC-SHA256, with lowercase hex as the AWS documents print them.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace switchyard::dynamo {

using Digest = std::array<std::uint8_t, 32>;

Digest sha256(std::string_view data);
std::string sha256_hex(std::string_view data);
Digest hmac_sha256(std::span<const std::uint8_t> key, std::string_view data);
std::string to_hex(std::span<const std::uint8_t> bytes);

}  // namespace switchyard::dynamo
