#include "flags/json_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchyard::flags {
namespace {

// Reads any value to the end; returns the first error ("" when the text is valid JSON).
std::string first_error(std::string_view text) {
    JsonReader reader(text);
    if (reader.skip_value() && reader.finish()) return "";
    return std::string{reader.error()};
}

std::string read_one_string(std::string_view text) {
    JsonReader reader(text);
    std::string_view value;
    EXPECT_TRUE(reader.read_string(value)) << reader.error();
    return std::string{value};
}

TEST(JsonReader, ReadsMembersInOrderWithTheirLines) {
    JsonReader reader("{\n  \"a\": 1,\n  \"b\": [true, null],\n  \"a\": \"x\"\n}");
    ASSERT_TRUE(reader.begin_object());
    std::vector<std::pair<std::string, std::size_t>> keys;
    std::string_view key;
    while (reader.next_member(key)) {
        keys.emplace_back(std::string{key}, reader.line());
        ASSERT_TRUE(reader.skip_value());
    }
    EXPECT_FALSE(reader.failed()) << reader.error();
    EXPECT_TRUE(reader.finish());
    // Duplicate keys are not hidden: the caller decides.
    const std::vector<std::pair<std::string, std::size_t>> expected{{"a", 2}, {"b", 3}, {"a", 4}};
    EXPECT_EQ(keys, expected);
}

TEST(JsonReader, ReadsScalars) {
    JsonReader reader(R"([-12.5e1, 0, true, false, null, "s"])");
    ASSERT_TRUE(reader.begin_array());
    double number = 0;
    std::string_view text;
    bool flag = false;
    std::string_view string;
    ASSERT_TRUE(reader.next_element());
    ASSERT_TRUE(reader.read_number(number, &text));
    EXPECT_EQ(number, -125.0);
    EXPECT_EQ(text, "-12.5e1");
    ASSERT_TRUE(reader.next_element());
    ASSERT_TRUE(reader.read_number(number));
    EXPECT_EQ(number, 0.0);
    ASSERT_TRUE(reader.next_element());
    ASSERT_TRUE(reader.read_bool(flag));
    EXPECT_TRUE(flag);
    ASSERT_TRUE(reader.next_element());
    ASSERT_TRUE(reader.read_bool(flag));
    EXPECT_FALSE(flag);
    ASSERT_TRUE(reader.next_element());
    ASSERT_TRUE(reader.read_null());
    ASSERT_TRUE(reader.next_element());
    ASSERT_TRUE(reader.read_string(string));
    EXPECT_EQ(string, "s");
    EXPECT_FALSE(reader.next_element());
    EXPECT_FALSE(reader.failed());
    EXPECT_TRUE(reader.finish());
}

TEST(JsonReader, PeekNamesTheNextType) {
    JsonReader reader(R"( {"o":{}, "a":[], "s":"", "n":-1, "b":false, "z":null})");
    EXPECT_EQ(reader.peek(), JsonType::object);
    ASSERT_TRUE(reader.begin_object());
    std::vector<JsonType> types;
    std::string_view key;
    while (reader.next_member(key)) {
        types.push_back(reader.peek());
        ASSERT_TRUE(reader.skip_value());
    }
    EXPECT_EQ(types, (std::vector<JsonType>{JsonType::object, JsonType::array, JsonType::string,
                                            JsonType::number, JsonType::boolean, JsonType::null}));
    EXPECT_EQ(reader.peek(), JsonType::invalid);  // end of input
}

TEST(JsonReader, DecodesEscapes) {
    EXPECT_EQ(read_one_string(R"("a\"b\\c\/d\b\f\n\r\t")"), "a\"b\\c/d\b\f\n\r\t");
    EXPECT_EQ(read_one_string(R"("\u0061\u00e9\u20ac")"), "a\xC3\xA9\xE2\x82\xAC");
    // U+1F600 as a UTF-16 surrogate pair becomes one 4-byte UTF-8 sequence.
    EXPECT_EQ(read_one_string(R"("\ud83d\ude00")"), "\xF0\x9F\x98\x80");
    EXPECT_EQ(read_one_string("\"caf\xC3\xA9 \xF0\x9F\x98\x80\""), "caf\xC3\xA9 \xF0\x9F\x98\x80");
    EXPECT_EQ(read_one_string(R"("\u0000")"), std::string(1, '\0'));
}

TEST(JsonReader, KeysAndValuesWithEscapesDoNotOverwriteEachOther) {
    JsonReader reader(R"({"k\u0031": "v\u0031"})");
    ASSERT_TRUE(reader.begin_object());
    std::string_view key;
    std::string_view value;
    ASSERT_TRUE(reader.next_member(key));
    ASSERT_TRUE(reader.read_string(value));
    EXPECT_EQ(key, "k1");
    EXPECT_EQ(value, "v1");
}

TEST(JsonReader, AcceptsValidDocuments) {
    for (const char* text : {"{}", "[]", " \n\t\r[1, 2.5, -0, 1e5, 1E-5, 0.5e+2]\n", "\"\"",
                             R"({"a":{"b":{"c":[{}]}}})", "null", "true", "0"}) {
        EXPECT_EQ(first_error(text), "") << text;
    }
}

TEST(JsonReader, RejectsMalformedText) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"", "unexpected end of input"},
        {"{", "unexpected end of input"},
        {R"({"a" 1})", "expected ':' after key"},
        {R"({"a":1 "b":2})", "expected ',' or '}'"},
        {"[1 2]", "expected ',' or ']'"},
        {R"({"a":1,})", "trailing comma"},
        {"[1,]", "trailing comma"},
        {"{1:2}", "expected a string key"},
        {"[01]", "expected ',' or ']'"},
        {"[1.]", "invalid number"},
        {"[1e]", "invalid number"},
        {"[-]", "expected a number"},
        {"[.5]", "expected a value"},
        {"[1e400]", "number out of range"},
        {"[tru]", "invalid literal"},
        {"{} {}", "unexpected text after the document"},
        {"\"abc", "unterminated string"},
        {"\"a\nb\"", "control character in string"},
        {R"("\x")", "invalid escape in string"},
        {R"("\u12")", "invalid \\u escape in string"},
        {R"("\u12G4")", "invalid \\u escape in string"},
        {R"("\ud83d")", "lone high surrogate in string"},
        {R"("\ud83dx")", "lone high surrogate in string"},
        {R"("\ud83d\u0041")", "lone high surrogate in string"},
        {R"("\ude00")", "lone low surrogate in string"},
        {"\"\xC0\x80\"", "invalid UTF-8 in string"},          // overlong NUL
        {"\"\xE0\x80\xAF\"", "invalid UTF-8 in string"},      // overlong '/'
        {"\"\xED\xA0\x80\"", "invalid UTF-8 in string"},      // encoded surrogate
        {"\"\xF4\x90\x80\x80\"", "invalid UTF-8 in string"},  // above U+10FFFF
        {"\"\xF5\x80\x80\x80\"", "invalid UTF-8 in string"},
        {"\"\x80\"", "invalid UTF-8 in string"},  // lone continuation byte
        {"\"\xC3\"", "invalid UTF-8 in string"},  // truncated sequence
        {"\"\xE2\x82\"", "invalid UTF-8 in string"},
    };
    for (const auto& [text, error] : cases) EXPECT_EQ(first_error(text), error) << text;
}

TEST(JsonReader, LimitsNestingDepth) {
    const auto nested = [](int depth) {
        return std::string(static_cast<std::size_t>(depth), '[') +
               std::string(static_cast<std::size_t>(depth), ']');
    };
    EXPECT_EQ(first_error(nested(JsonReader::kMaxDepth)), "");
    EXPECT_EQ(first_error(nested(JsonReader::kMaxDepth + 1)), "nesting deeper than 64 levels");
    // A hostile document far deeper than the stack could recurse is refused, not a crash.
    EXPECT_EQ(first_error(nested(1'000'000)), "nesting deeper than 64 levels");
}

TEST(JsonReader, ErrorLineIsWhereTheProblemIs) {
    JsonReader reader("{\n\"a\": 1,\n\n\"b\" 2}");
    EXPECT_FALSE(reader.skip_value());
    EXPECT_EQ(reader.error(), "expected ':' after key");
    EXPECT_EQ(reader.line(), 4U);
}

TEST(JsonReader, FirstErrorSticks) {
    JsonReader reader("[x]");
    ASSERT_TRUE(reader.begin_array());
    ASSERT_TRUE(reader.next_element());
    std::string_view ignored;
    EXPECT_FALSE(reader.read_string(ignored));
    EXPECT_EQ(reader.error(), "expected a string");
    EXPECT_FALSE(reader.next_element());
    EXPECT_FALSE(reader.finish());
    EXPECT_EQ(reader.error(), "expected a string");
}

}  // namespace
}  // namespace switchyard::flags
