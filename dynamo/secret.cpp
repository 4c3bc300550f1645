#include "dynamo/secret.hpp"

#include <openssl/crypto.h>

#include <ostream>

namespace switchyard::dynamo {

Secret& Secret::operator=(Secret&& other) noexcept {
    if (this != &other) {
        wipe();
        value_ = std::move(other.value_);
    }
    return *this;
}

Secret::~Secret() { wipe(); }

void Secret::wipe() noexcept {
    // OPENSSL_cleanse, unlike memset, is not optimised away for memory about to be freed.
    if (!value_.empty()) OPENSSL_cleanse(value_.data(), value_.size());
}

std::ostream& operator<<(std::ostream& out, const Secret&) { return out << "***"; }

}  // namespace switchyard::dynamo
