#include "dynalite_fixture.hpp"

namespace switchyard::dynamo::test {
namespace {

using ItemTest = DynaliteTest;

Item tenant_key(const std::string& tenant) { return {{"pk", av::s("tenant#" + tenant)}}; }

TEST_F(ItemTest, PutGetUpdateDelete) {
    const std::string table = create_table("items");
    Item item = tenant_key("acme");
    item["stage"] = av::s("reads");
    item["version"] = av::n(1);
    ASSERT_TRUE(client_->put_item(PutItemRequest{.table = table, .item = item}));

    auto found = client_->get_item(GetItemRequest{.table = table, .key = tenant_key("acme")});
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_TRUE(found.value());
    EXPECT_EQ(av::get_s(**found, "stage"), "reads");

    UpdateItemRequest update{.table = table, .key = tenant_key("acme")};
    update.update = "SET #stage = :stage, version = version + :one";
    update.attributes.names = {{"#stage", "stage"}};
    update.attributes.values = {{":stage", av::s("new")}, {":one", av::n(1)}};
    update.return_values = "ALL_NEW";
    const auto updated = client_->update_item(update);
    ASSERT_TRUE(updated) << updated.error().message;
    ASSERT_TRUE(updated->attributes);
    EXPECT_EQ(av::get_s(*updated->attributes, "stage"), "new");
    EXPECT_EQ(av::get_n(*updated->attributes, "version"), 2);

    DeleteItemRequest remove{.table = table, .key = tenant_key("acme")};
    remove.return_old_item = true;
    const auto removed = client_->delete_item(remove);
    ASSERT_TRUE(removed) << removed.error().message;
    ASSERT_TRUE(removed->attributes);
    EXPECT_EQ(av::get_s(*removed->attributes, "stage"), "new");

    found = client_->get_item(GetItemRequest{.table = table, .key = tenant_key("acme")});
    ASSERT_TRUE(found);
    EXPECT_FALSE(found.value());
}

TEST_F(ItemTest, ConditionalPutSucceedsOnceThenFailsWithConditionFailed) {
    const std::string table = create_table("door");
    PutItemRequest close_door{.table = table,
                              .item = {{"pk", av::s("door#acme")}, {"by", av::s("instance-a")}}};
    close_door.condition = "attribute_not_exists(pk)";
    const auto first = client_->put_item(close_door);
    ASSERT_TRUE(first) << first.error().message;

    close_door.item["by"] = av::s("instance-b");
    const auto second = client_->put_item(close_door);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().kind, ErrorKind::condition_failed) << second.error().message;
    EXPECT_EQ(second.error().attempts, 1);  // never retried
    EXPECT_FALSE(second.error().maybe_applied);

    const auto stored =
        client_->get_item(GetItemRequest{.table = table, .key = {{"pk", av::s("door#acme")}}});
    ASSERT_TRUE(stored && stored.value());
    EXPECT_EQ(av::get_s(**stored, "by"), "instance-a");
}

TEST_F(ItemTest, UpdateBasedOnAStaleVersionFails) {
    const std::string table = create_table("versions");
    ASSERT_TRUE(client_->put_item(
        PutItemRequest{.table = table, .item = {{"pk", av::s("rollout")}, {"version", av::n(4)}}}));
    auto bump = [&](std::int64_t based_on) {
        UpdateItemRequest update{.table = table, .key = {{"pk", av::s("rollout")}}};
        update.update = "SET version = :next";
        update.condition = "version = :based_on";
        update.attributes.values = {{":next", av::n(based_on + 1)}, {":based_on", av::n(based_on)}};
        return client_->update_item(update);
    };
    EXPECT_TRUE(bump(4));
    const auto stale = bump(4);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().kind, ErrorKind::condition_failed);
}

TEST_F(ItemTest, InvalidRequestIsAValidationErrorNotRetried) {
    const std::string table = create_table("invalid");
    PutItemRequest bad{.table = table, .item = {{"not_the_key", av::s("x")}}};
    const auto put = client_->put_item(bad);
    ASSERT_FALSE(put);
    EXPECT_EQ(put.error().kind, ErrorKind::validation) << put.error().message;
    EXPECT_EQ(put.error().attempts, 1);
}

}  // namespace
}  // namespace switchyard::dynamo::test
