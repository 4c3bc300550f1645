#include "flags/json_reader.hpp"

#include <array>
#include <charconv>
#include <system_error>

#include "flags/json_bytes.hpp"

namespace switchyard::flags {
namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

unsigned char byte_at(std::string_view text, std::size_t pos) noexcept {
    return static_cast<unsigned char>(text[pos]);
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void append_utf8(std::string& out, std::uint32_t code) {
    if (code < 0x80) {
        out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (code >> 6)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (code >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (code >> 18)));
        out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
}

}  // namespace

bool JsonReader::fail(std::string_view message) {
    if (error_.empty()) error_ = message;
    return false;
}

bool JsonReader::expect(char c, std::string_view message) {
    skip_whitespace();
    if (pos_ < text_.size() && text_[pos_] == c) {
        ++pos_;
        return true;
    }
    return fail(pos_ < text_.size() ? message : "unexpected end of input");
}

// Newlines can only stand in whitespace (strings may not hold raw control characters), so
// counting them here is enough to know every token's line.
void JsonReader::skip_whitespace() noexcept {
    for (; pos_ < text_.size(); ++pos_) {
        const std::uint8_t kind = kWhitespace[byte_at(text_, pos_)];
        if (kind == 0) return;
        line_ += kind >> 1;  // a flag document has a newline or more per tenant: no branch
    }
}

JsonType JsonReader::peek() noexcept {
    if (failed()) return JsonType::invalid;
    skip_whitespace();
    if (pos_ >= text_.size()) return JsonType::invalid;
    switch (text_[pos_]) {
        case '{':
            return JsonType::object;
        case '[':
            return JsonType::array;
        case '"':
            return JsonType::string;
        case 't':
        case 'f':
            return JsonType::boolean;
        case 'n':
            return JsonType::null;
        default:
            return text_[pos_] == '-' || is_digit(text_[pos_]) ? JsonType::number
                                                               : JsonType::invalid;
    }
}

bool JsonReader::enter() {
    if (++depth_ > kMaxDepth) return fail("nesting deeper than 64 levels");
    first_in_container_ = true;
    return true;
}

bool JsonReader::begin_object() {
    if (failed()) return false;
    return expect('{', "expected an object") && enter();
}

bool JsonReader::begin_array() {
    if (failed()) return false;
    return expect('[', "expected an array") && enter();
}

// Shared by objects and arrays: consumes the closing character or the comma before the next item.
bool JsonReader::next_in_container(char close, bool& more) {
    more = false;
    if (failed()) return false;
    skip_whitespace();
    if (pos_ >= text_.size()) return fail("unexpected end of input");
    if (text_[pos_] == close) {
        ++pos_;
        --depth_;
        first_in_container_ = false;  // the container was a value of its parent
        return true;
    }
    if (!first_in_container_) {
        if (text_[pos_] != ',') {
            return fail(close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
        }
        ++pos_;
        skip_whitespace();
        if (pos_ < text_.size() && text_[pos_] == close) return fail("trailing comma");
    }
    first_in_container_ = false;
    more = true;
    return true;
}

bool JsonReader::next_member(std::string_view& key) {
    bool more = false;
    if (!next_in_container('}', more) || !more) return false;
    skip_whitespace();
    if (pos_ >= text_.size()) return fail("unexpected end of input");
    if (text_[pos_] != '"') return fail("expected a string key");
    return read_string_into(key_scratch_, key) && expect(':', "expected ':' after key");
}

bool JsonReader::next_element() {
    bool more = false;
    return next_in_container(']', more) && more;
}

bool JsonReader::read_string(std::string_view& value) {
    if (failed()) return false;
    skip_whitespace();
    if (pos_ >= text_.size() || text_[pos_] != '"') return fail("expected a string");
    return read_string_into(value_scratch_, value);
}

// Fast path: a string without escapes is a view into the text; only escapes copy.
bool JsonReader::read_string_into(std::string& scratch, std::string_view& value) {
    ++pos_;  // opening quote
    const std::size_t start = pos_;
    bool copying = false;
    for (;;) {
        std::size_t run_end = pos_;
        while (run_end < text_.size() && kPlainInString[byte_at(text_, run_end)]) ++run_end;
        if (copying) scratch.append(text_.substr(pos_, run_end - pos_));
        pos_ = run_end;
        if (pos_ >= text_.size()) return fail("unterminated string");
        const auto c = byte_at(text_, pos_);
        if (c == '"') {
            value = copying ? std::string_view{scratch} : text_.substr(start, pos_ - start);
            ++pos_;
            return true;
        }
        if (c < 0x20) return fail("control character in string");
        if (c == '\\') {
            if (!copying) {
                scratch.assign(text_.substr(start, pos_ - start));
                copying = true;
            }
            if (!decode_escape(scratch)) return false;
            continue;
        }
        const std::size_t from = pos_;  // a UTF-8 lead byte
        if (!check_utf8(pos_)) return false;
        if (copying) scratch.append(text_.substr(from, pos_ - from));
    }
}

bool JsonReader::decode_escape(std::string& out) {
    ++pos_;  // backslash
    if (pos_ >= text_.size()) return fail("unterminated string");
    const char c = text_[pos_++];
    switch (c) {
        case '"':
        case '\\':
        case '/':
            out.push_back(c);
            return true;
        case 'b':
            out.push_back('\b');
            return true;
        case 'f':
            out.push_back('\f');
            return true;
        case 'n':
            out.push_back('\n');
            return true;
        case 'r':
            out.push_back('\r');
            return true;
        case 't':
            out.push_back('\t');
            return true;
        case 'u':
            break;
        default:
            return fail("invalid escape in string");
    }
    std::uint32_t code = 0;
    if (!read_hex4(code)) return false;
    if (code >= 0xDC00 && code <= 0xDFFF) return fail("lone low surrogate in string");
    if (code >= 0xD800 && code <= 0xDBFF) {
        // UTF-16 surrogate pair (RFC 8259 section 7): the low half must follow at once.
        std::uint32_t low = 0;
        if (text_.substr(pos_, 2) != "\\u") return fail("lone high surrogate in string");
        pos_ += 2;
        if (!read_hex4(low)) return false;
        if (low < 0xDC00 || low > 0xDFFF) return fail("lone high surrogate in string");
        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, code);
    return true;
}

bool JsonReader::read_hex4(std::uint32_t& code) {
    if (pos_ + 4 > text_.size()) return fail("invalid \\u escape in string");
    code = 0;
    for (int i = 0; i < 4; ++i) {
        const int digit = hex_value(text_[pos_++]);
        if (digit < 0) return fail("invalid \\u escape in string");
        code = code * 16 + static_cast<std::uint32_t>(digit);
    }
    return true;
}

// One UTF-8 sequence starting at a byte >= 0x80: no overlongs, no surrogates, at most U+10FFFF.
bool JsonReader::check_utf8(std::size_t& pos) {
    const auto byte = [&](std::size_t i) -> unsigned {
        return pos + i < text_.size() ? static_cast<unsigned char>(text_[pos + i]) : 0u;
    };
    const unsigned lead = byte(0);
    std::size_t length = 0;
    unsigned low = 0x80;  // bounds of the second byte (RFC 3629 section 4)
    unsigned high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        return fail("invalid UTF-8 in string");
    }
    if (byte(1) < low || byte(1) > high) return fail("invalid UTF-8 in string");
    for (std::size_t i = 2; i < length; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xBF) return fail("invalid UTF-8 in string");
    }
    pos += length;
    return true;
}

bool JsonReader::read_number(double& value, std::string_view* text) {
    if (failed()) return false;
    skip_whitespace();
    const std::size_t start = pos_;
    const auto digits = [&] {
        const std::size_t from = pos_;
        while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
        return pos_ > from;
    };
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
        ++pos_;  // no leading zeros (RFC 8259 section 6)
    } else if (!digits()) {
        return fail("expected a number");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
        ++pos_;
        if (!digits()) return fail("invalid number");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
        ++pos_;
        if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
        if (!digits()) return fail("invalid number");
    }
    const std::string_view written = text_.substr(start, pos_ - start);
    const auto [end, status] =
        std::from_chars(written.data(), written.data() + written.size(), value);
    if (status != std::errc{} || end != written.data() + written.size()) {
        return fail("number out of range");
    }
    if (text) *text = written;
    return true;
}

bool JsonReader::skip_literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return fail("invalid literal");
    pos_ += word.size();
    return true;
}

bool JsonReader::read_bool(bool& value) {
    if (failed()) return false;
    skip_whitespace();
    value = pos_ < text_.size() && text_[pos_] == 't';
    return skip_literal(value ? "true" : "false");
}

bool JsonReader::read_null() {
    if (failed()) return false;
    skip_whitespace();
    return skip_literal("null");
}

bool JsonReader::skip_value() {
    std::string_view ignored_text;
    double ignored_number = 0;
    bool ignored_bool = false;
    switch (peek()) {
        case JsonType::object:
            if (!begin_object()) return false;
            while (next_member(ignored_text)) {
                if (!skip_value()) return false;
            }
            return !failed();
        case JsonType::array:
            if (!begin_array()) return false;
            while (next_element()) {
                if (!skip_value()) return false;
            }
            return !failed();
        case JsonType::string:
            return read_string(ignored_text);
        case JsonType::number:
            return read_number(ignored_number);
        case JsonType::boolean:
            return read_bool(ignored_bool);
        case JsonType::null:
            return read_null();
        case JsonType::invalid:
            break;
    }
    if (failed()) return false;
    return fail(pos_ < text_.size() ? "expected a value" : "unexpected end of input");
}

bool JsonReader::finish() {
    if (failed()) return false;
    skip_whitespace();
    return pos_ == text_.size() || fail("unexpected text after the document");
}

}  // namespace switchyard::flags
