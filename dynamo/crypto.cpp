#include "dynamo/crypto.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace switchyard::dynamo {

Digest sha256(std::string_view data) {
    Digest out{};
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &length, EVP_sha256(), nullptr) != 1 ||
        length != out.size()) {
        throw std::runtime_error("EVP_Digest(SHA-256) failed");
    }
    return out;
}

std::string sha256_hex(std::string_view data) { return to_hex(sha256(data)); }

Digest hmac_sha256(std::span<const std::uint8_t> key, std::string_view data) {
    Digest out{};
    unsigned int length = 0;
    const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), bytes, data.size(), out.data(),
             &length) == nullptr ||
        length != out.size()) {
        throw std::runtime_error("HMAC(SHA-256) failed");
    }
    return out;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const auto byte : bytes) {
        out.push_back(kDigits[byte >> 4]);
        out.push_back(kDigits[byte & 0x0f]);
    }
    return out;
}

}  // namespace switchyard::dynamo
