// Every way a flag document can be wrong, each error naming the place and the line.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "flags/flag_document.hpp"

namespace switchyard::flags {
namespace {

struct BadDocument {
    std::string text;
    std::string error;
};

void PrintTo(const BadDocument& bad, std::ostream* out) { *out << bad.text; }

class FlagDocumentErrors : public testing::TestWithParam<BadDocument> {};

TEST_P(FlagDocumentErrors, RejectsWholeAndSaysWhere) {
    const auto parsed = parse_flag_document(GetParam().text);
    ASSERT_FALSE(parsed.ok()) << GetParam().text;
    EXPECT_EQ(parsed.error().message, GetParam().error);
}

const std::string kLongId(129, 'x');

INSTANTIATE_TEST_SUITE_P(
    Cases, FlagDocumentErrors,
    testing::Values(
        // The example from the design, on its line.
        BadDocument{R"({
  "default_stage": "legacy",
  "rollout": {"stage": "new", "percent": 5, "salt": "wave-1"},
  "tenants": {
    "globex": {"stage": "reads"},
    "initech": {"stage": "shadow"},
    "acme": {"stage": "nwe"}
  }
})",
                    R"(tenants.acme.stage: unknown stage "nwe" (line 7))"},
        // Syntax.
        BadDocument{"", "document: must be a JSON object (line 1)"},
        BadDocument{"[]", "document: must be a JSON object (line 1)"},
        BadDocument{"\n\n  nope", "document: must be a JSON object (line 3)"},
        BadDocument{"{} x", "document: unexpected text after the document (line 1)"},
        BadDocument{"{\"tenants\": {", "tenants: unexpected end of input (line 1)"},
        BadDocument{"{\"tenants\": {\"a\": {\"stage\": \"new\"}\n \"b\": {}}}",
                    "tenants: expected ',' or '}' (line 2)"},
        BadDocument{"{\"default_stage\": }", "default_stage: expected a value (line 1)"},
        BadDocument{"{\"default_stage\": \"new\",}", "document: trailing comma (line 1)"},
        BadDocument{R"({"rollout": {"stage": "new" "percent": 1}})",
                    "rollout: expected ',' or '}' (line 1)"},
        BadDocument{R"({"tenants": {"a\q": {"stage": "new"}}})",
                    "tenants: invalid escape in string (line 1)"},
        BadDocument{R"({"tenants": {"a": {"stage": "new", "note": "\ud800"}}})",
                    "tenants.a.note: lone high surrogate in string (line 1)"},
        // Stages.
        BadDocument{R"({"default_stage": "beta"})",
                    R"(default_stage: unknown stage "beta" (line 1))"},
        BadDocument{R"({"default_stage": "Legacy"})",
                    R"(default_stage: unknown stage "Legacy" (line 1))"},
        BadDocument{R"({"rollout": {"stage": "", "percent": 1}})",
                    R"(rollout.stage: unknown stage "" (line 1))"},
        BadDocument{"{\"tenants\": {\"a\": {\"stage\": \"new\\n\"}}}",
                    R"(tenants.a.stage: unknown stage "new\u000a" (line 1))"},
        // Types.
        BadDocument{R"({"default_stage": 3})", "default_stage: must be a string (line 1)"},
        BadDocument{R"({"default_stage": null})", "default_stage: must be a string (line 1)"},
        BadDocument{R"({"rollout": "new"})", "rollout: must be an object (line 1)"},
        BadDocument{R"({"rollout": {"stage": "new", "percent": "5"}})",
                    "rollout.percent: must be a number (line 1)"},
        BadDocument{R"({"rollout": {"stage": "new", "percent": 5, "salt": 1}})",
                    "rollout.salt: must be a string (line 1)"},
        BadDocument{R"({"tenants": []})", "tenants: must be an object (line 1)"},
        BadDocument{R"({"tenants": {"acme": "new"}})", "tenants.acme: must be an object (line 1)"},
        BadDocument{R"({"tenants": {"acme": {"stage": ["new"]}}})",
                    "tenants.acme.stage: must be a string (line 1)"},
        BadDocument{R"({"tenants": {"acme": {"stage": "new", "note": 7}}})",
                    "tenants.acme.note: must be a string (line 1)"},
        // Percent.
        BadDocument{R"({"rollout": {"stage": "new", "percent": 150}})",
                    "rollout.percent: 150 must be between 0 and 100 (line 1)"},
        BadDocument{R"({"rollout": {"stage": "new", "percent": -1}})",
                    "rollout.percent: -1 must be between 0 and 100 (line 1)"},
        BadDocument{R"({"rollout": {"stage": "new", "percent": 100.01}})",
                    "rollout.percent: 100.01 must be between 0 and 100 (line 1)"},
        BadDocument{R"({"rollout": {"stage": "new", "percent": 5.001}})",
                    "rollout.percent: 5.001 is finer than 0.01 (line 1)"},
        BadDocument{R"({"rollout": {"stage": "new", "percent": 1e-3}})",
                    "rollout.percent: 1e-3 is finer than 0.01 (line 1)"},
        BadDocument{R"({"rollout": {"stage": "new", "percent": 1e400}})",
                    "rollout.percent: number out of range (line 1)"},
        // Required fields.
        BadDocument{"{\"rollout\":\n {\"percent\": 5}}",
                    R"(rollout: missing required field "stage" (line 2))"},
        BadDocument{R"({"rollout": {"stage": "new"}})",
                    R"(rollout: missing required field "percent" (line 1))"},
        BadDocument{"{\"tenants\": {\n\"acme\": {\"note\": \"x\"}}}",
                    R"(tenants.acme: missing required field "stage" (line 2))"},
        // Unknown fields, at every level.
        BadDocument{R"({"defualt_stage": "new"})", "defualt_stage: unknown field (line 1)"},
        BadDocument{R"({"rollout": {"stage": "new", "pecent": 5}})",
                    "rollout.pecent: unknown field (line 1)"},
        BadDocument{R"({"tenants": {"acme": {"stgae": "new"}}})",
                    "tenants.acme.stgae: unknown field (line 1)"},
        BadDocument{R"({"a b": 1})", R"("a b": unknown field (line 1))"},
        // Duplicate keys, at every level.
        BadDocument{"{\"default_stage\": \"new\",\n \"default_stage\": \"legacy\"}",
                    "default_stage: duplicate key (line 2)"},
        BadDocument{R"({"tenants": {}, "tenants": {}})", "tenants: duplicate key (line 1)"},
        BadDocument{R"({"rollout": {"stage": "new", "percent": 5, "percent": 6}})",
                    "rollout.percent: duplicate key (line 1)"},
        BadDocument{R"({"tenants": {"acme": {"stage": "new", "stage": "legacy"}}})",
                    "tenants.acme.stage: duplicate key (line 1)"},
        BadDocument{"{\"tenants\": {\"acme\": {\"stage\": \"new\"},\n\n"
                    "\"acme\": {\"stage\": \"legacy\"}}}",
                    "tenants.acme: duplicate tenant id (line 3)"},
        BadDocument{R"({"tenants": {"acme": {"stage": "new"}, "\u0061cme": {"stage": "new"}}})",
                    "tenants.acme: duplicate tenant id (line 1)"},
        // Repeats are looked for once every tenant is read: the first one in the document is
        // still the error, before any later problem and after any earlier one.
        BadDocument{"{\"tenants\": {\"a\": {\"stage\": \"new\"},\n\"b\": {\"stage\": \"new\"},\n"
                    "\"b\": {\"stage\": \"new\"},\n\"a\": {\"stage\": \"new\"}}}",
                    "tenants.b: duplicate tenant id (line 3)"},
        BadDocument{"{\"tenants\": {\"a\": {\"stage\": \"new\"},\n\"a\": {\"stage\": \"new\"},\n"
                    "\"b\": {\"stage\": \"nwe\"}}, \"x\": 1}",
                    "tenants.a: duplicate tenant id (line 2)"},
        BadDocument{"{\"tenants\": {\"a\": {\"stage\": \"new\"},\n\"b\": {\"stage\": \"nwe\"},\n"
                    "\"a\": {\"stage\": \"new\"}}}",
                    R"(tenants.b.stage: unknown stage "nwe" (line 2))"},
        BadDocument{"{\"tenants\": {\"a\": {\"stage\": \"new\"},\n\"a\": {\"stage\": \"new\"}"
                    ",\n\"c\": {\"stage\": \"new\"}",
                    "tenants.a: duplicate tenant id (line 2)"},
        // Tenant ids.
        BadDocument{R"({"tenants": {"": {"stage": "new"}}})",
                    R"(tenants: tenant id "" is empty (line 1))"},
        BadDocument{R"({"tenants": {")" + kLongId + R"(": {"stage": "new"}}})",
                    R"(tenants: tenant id ")" + std::string(64, 'x') +
                        R"(…" is longer than 128 bytes (line 1))"},
        BadDocument{
            R"({"tenants": {"a b": {"stage": "new"}}})",
            R"(tenants: tenant id "a b" has a character outside [A-Za-z0-9._:@-] (line 1))"},
        BadDocument{
            R"({"tenants": {"acme/x": {"stage": "new"}}})",
            R"(tenants: tenant id "acme/x" has a character outside [A-Za-z0-9._:@-] (line 1))"},
        BadDocument{"{\"tenants\": {\"acm\xC3\xA9\": {\"stage\": \"new\"}}}",
                    "tenants: tenant id \"acm\xC3\xA9\" has a character outside [A-Za-z0-9._:@-] "
                    "(line 1)"},
        BadDocument{
            R"({"tenants": {"a\u0000b": {"stage": "new"}}})",
            R"(tenants: tenant id "a\u0000b" has a character outside [A-Za-z0-9._:@-] (line 1))"}),
    [](const testing::TestParamInfo<BadDocument>& info) { return std::to_string(info.index); });

}  // namespace
}  // namespace switchyard::flags
