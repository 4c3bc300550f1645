#include "dynamo/attribute_value.hpp"

#include <gtest/gtest.h>

namespace switchyard::dynamo {
namespace {

TEST(AttributeValue, BuildersMakeDynamoDbJson) {
    EXPECT_EQ(av::s("acme").dump(), R"({"S":"acme"})");
    EXPECT_EQ(av::n(-42).dump(), R"({"N":"-42"})");
    EXPECT_EQ(av::boolean(true).dump(), R"({"BOOL":true})");
    EXPECT_EQ(av::null().dump(), R"({"NULL":true})");
    EXPECT_EQ(av::m({{"stage", av::s("new")}}).dump(), R"({"M":{"stage":{"S":"new"}}})");
    EXPECT_EQ(av::l({av::s("a"), av::n(1)}).dump(), R"({"L":[{"S":"a"},{"N":"1"}]})");
}

TEST(AttributeValue, ReadersCheckTheType) {
    const Item item = {{"pk", av::s("tenant#acme")},
                       {"version", av::n(7)},
                       {"final", av::boolean(false)},
                       {"doc", av::m({{"x", av::n(1)}})},
                       {"tags", av::l({av::s("a")})}};
    EXPECT_EQ(av::get_s(item, "pk"), "tenant#acme");
    EXPECT_EQ(av::get_n(item, "version"), 7);
    EXPECT_EQ(av::get_bool(item, "final"), false);
    ASSERT_NE(av::get_m(item, "doc"), nullptr);
    EXPECT_EQ(av::get_n(*av::get_m(item, "doc"), "x"), 1);
    ASSERT_NE(av::get_l(item, "tags"), nullptr);
    EXPECT_EQ(av::get_l(item, "tags")->size(), 1u);
    EXPECT_FALSE(av::get_s(item, "version"));
    EXPECT_FALSE(av::get_n(item, "pk"));
    EXPECT_FALSE(av::get_s(item, "absent"));
    EXPECT_EQ(av::get_m(item, "pk"), nullptr);
}

TEST(AttributeValue, PlainJsonRoundTrips) {
    const auto plain = nlohmann::json::parse(R"({
        "default_stage": "legacy", "percent": 5, "ratio": 2.5, "on": true, "none": null,
        "tenants": {"acme": {"stage": "new"}}, "list": [1, "two", [3]]})");
    const Item typed = av::item_from_json(plain);
    EXPECT_EQ(typed["percent"], av::n(5));
    EXPECT_EQ(typed["ratio"], av::n_text("2.5"));
    EXPECT_EQ(av::item_to_json(typed), plain);
}

TEST(AttributeValue, ToJsonRefusesWhatIsNotDynamoDbJson) {
    EXPECT_THROW(av::to_json(nlohmann::json{{"SS", {"a"}}}), std::invalid_argument);
    EXPECT_THROW(av::to_json(nlohmann::json("bare")), std::invalid_argument);
}

}  // namespace
}  // namespace switchyard::dynamo
