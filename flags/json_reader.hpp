#pragma once
// A pull reader over JSON text (RFC 8259) that knows the line of every token. The flag document
// needs what nlohmann's DOM cannot give: line numbers in errors, and duplicate keys reported
// (the caller sees every key in order). It builds no tree, so a million tenants cost no nodes.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace switchyard::flags {

enum class JsonType : std::uint8_t { object, array, string, number, boolean, null, invalid };

class JsonReader {
  public:
    // Deeper documents are refused: skip_value() recurses, and no flag document nests this deep.
    static constexpr int kMaxDepth = 64;

    explicit JsonReader(std::string_view text) noexcept : text_(text) {}

    // The type of the next value, after skipping whitespace; invalid at end of input or on error.
    JsonType peek() noexcept;
    // 1-based line of the next token (after peek()) or of the error (after a failure).
    std::size_t line() const noexcept { return line_; }

    // Every read below returns false on error; the first error sticks (see error()).
    bool begin_object();
    // The next member's key (decoded); false at the closing brace, which it consumes, or on error.
    // The caller reads the member's value before asking for the next one.
    bool next_member(std::string_view& key);
    bool begin_array();
    // True when another element follows (read it next); false at the closing bracket or on error.
    bool next_element();

    // Views stay valid until the next read of the same kind (keys and values have separate
    // buffers), or for as long as the text when the string had no escapes.
    bool read_string(std::string_view& value);
    // `text` gets the number as written, for callers that need exactness (integers, hundredths).
    bool read_number(double& value, std::string_view* text = nullptr);
    bool read_bool(bool& value);
    bool read_null();
    bool skip_value();
    // Only whitespace may follow the document's value.
    bool finish();

    // True when `value` (a key or string just read) is a view into the text, not into a buffer
    // the next read may overwrite: it had no escapes.
    bool in_text(std::string_view value) const noexcept {
        return std::less_equal<const char*>{}(text_.data(), value.data()) &&
               std::less_equal<const char*>{}(value.data() + value.size(),
                                              text_.data() + text_.size());
    }

    // For a caller that reads some members of an object itself (a fast path through many alike
    // ones): where the reader stands, whether the next member comes without a comma, and how to
    // move past a member read from position() up to `end`, which is on `line`.
    std::size_t position() const noexcept { return pos_; }
    bool at_first_member() const noexcept { return first_in_container_; }
    void skip_member_read(std::size_t end, std::size_t line) noexcept {
        pos_ = end;
        line_ = line;
        first_in_container_ = false;
    }

    // For a caller that reads the text through a window (flags/text_window.hpp): the same
    // reading goes on in `text`, at `position`, which holds the byte position() stood on. Only
    // between members or elements: no view from an earlier read may still be in use.
    void rebase(std::string_view text, std::size_t position) noexcept {
        text_ = text;
        pos_ = position;
    }

    bool failed() const noexcept { return !error_.empty(); }
    std::string_view error() const noexcept { return error_; }

  private:
    bool fail(std::string_view message);
    bool expect(char c, std::string_view message);
    void skip_whitespace() noexcept;
    bool read_string_into(std::string& scratch, std::string_view& value);
    bool decode_escape(std::string& out);
    bool read_hex4(std::uint32_t& code);
    bool check_utf8(std::size_t& pos);
    bool skip_literal(std::string_view word);
    bool enter();
    bool next_in_container(char close, bool& more);

    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    int depth_ = 0;
    bool first_in_container_ = false;  // no comma before the first member or element
    std::string error_;
    std::string key_scratch_;
    std::string value_scratch_;
};

}  // namespace switchyard::flags
