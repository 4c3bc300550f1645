#include "proxy/request_id.hpp"

namespace switchyard::proxy {

namespace {
void write_hex(char* out, std::uint64_t value) {
    constexpr char kDigits[] = "0123456789abcdef";
    for (int i = 15; i >= 0; --i) {
        out[i] = kDigits[value & 0xF];
        value >>= 4;
    }
}
}  // namespace

std::string_view RequestIdGenerator::next() noexcept {
    write_hex(text_.data(), prefix_);
    write_hex(text_.data() + 16, ++counter_);
    return {text_.data(), text_.size()};
}

}  // namespace switchyard::proxy
