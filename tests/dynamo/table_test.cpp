#include "dynalite_fixture.hpp"

namespace switchyard::dynamo::test {
namespace {

using TableTest = DynaliteTest;

TEST_F(TableTest, CreateTableThenDescribeUntilActive) {
    const std::string table = unique_table_name("lifecycle");
    const auto created =
        client_->create_table(CreateTableRequest{.table = table,
                                                 .partition_key = KeyAttribute{"pk", "S"},
                                                 .sort_key = KeyAttribute{"sk", "S"}});
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_EQ(created->name, table);
    EXPECT_EQ(created->status, "CREATING");

    const auto active = client_->wait_until_active(table, std::chrono::seconds(10));
    ASSERT_TRUE(active) << active.error().message;
    EXPECT_EQ(active->status, "ACTIVE");
    EXPECT_EQ(active->raw["KeySchema"].size(), 2u);
}

TEST_F(TableTest, CreatingAnExistingTableSaysItExists) {
    const std::string table = create_table("twice");
    const auto again = client_->create_table(
        CreateTableRequest{.table = table, .partition_key = KeyAttribute{"pk", "S"}});
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, ErrorKind::table_exists) << again.error().message;
}

TEST_F(TableTest, MissingTableSaysHowToCreateIt) {
    const auto found =
        client_->get_item(GetItemRequest{.table = "switchyard-flags", .key = {{"pk", av::s("x")}}});
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().kind, ErrorKind::table_not_found);
    EXPECT_EQ(found.error().attempts, 1);
    EXPECT_NE(found.error().message.find("table switchyard-flags not found in us-east-1: create "
                                         "it with `switchyard ctl init-table`"),
              std::string::npos)
        << found.error().message;
}

}  // namespace
}  // namespace switchyard::dynamo::test
