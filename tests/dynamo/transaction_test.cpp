// TransactWriteItems against dynalite (through dynalite_server.js): all or nothing.
#include "dynalite_fixture.hpp"

namespace switchyard::dynamo::test {
namespace {

using TransactionTest = DynaliteTest;

Item key_of(const std::string& pk) { return {{"pk", av::s(pk)}}; }

std::optional<Item> read(Client& client, const std::string& table, const std::string& pk) {
    auto found = client.get_item(GetItemRequest{.table = table, .key = key_of(pk)});
    EXPECT_TRUE(found) << found.error().message;
    return found ? *found : std::nullopt;
}

TransactWriteRequest move_two_tenants(const std::string& table, std::int64_t seen_version) {
    PutItemRequest acme{.table = table,
                        .item = {{"pk", av::s("tenant#acme")}, {"stage", av::s("new")}}};
    PutItemRequest globex{.table = table,
                          .item = {{"pk", av::s("tenant#globex")}, {"stage", av::s("reads")}}};
    UpdateItemRequest marker{.table = table, .key = key_of("marker")};
    marker.update = "SET version = :next";
    marker.condition = "version = :seen";
    marker.attributes.values = {{":next", av::n(seen_version + 1)}, {":seen", av::n(seen_version)}};
    return TransactWriteRequest{.items = {acme, globex, marker}};
}

TEST_F(TransactionTest, AllItemsAreWrittenTogether) {
    const std::string table = create_table("tx-ok");
    ASSERT_TRUE(client_->put_item(
        PutItemRequest{.table = table, .item = {{"pk", av::s("marker")}, {"version", av::n(1)}}}));
    const auto written = client_->transact_write(move_two_tenants(table, 1));
    ASSERT_TRUE(written) << written.error().message;
    EXPECT_EQ(av::get_s(*read(*client_, table, "tenant#acme"), "stage"), "new");
    EXPECT_EQ(av::get_s(*read(*client_, table, "tenant#globex"), "stage"), "reads");
    EXPECT_EQ(av::get_n(*read(*client_, table, "marker"), "version"), 2);
}

TEST_F(TransactionTest, OneFailedConditionWritesNothingAndSaysWhich) {
    const std::string table = create_table("tx-cancel");
    ASSERT_TRUE(client_->put_item(
        PutItemRequest{.table = table, .item = {{"pk", av::s("marker")}, {"version", av::n(5)}}}));
    ASSERT_TRUE(client_->put_item(PutItemRequest{
        .table = table, .item = {{"pk", av::s("tenant#acme")}, {"stage", av::s("legacy")}}}));

    const auto stale = client_->transact_write(move_two_tenants(table, 4));  // the marker is at 5
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().kind, ErrorKind::transaction_cancelled) << stale.error().message;
    EXPECT_EQ(stale.error().attempts, 1);
    ASSERT_EQ(stale.error().cancellation_reasons.size(), 3u);
    EXPECT_EQ(stale.error().cancellation_reasons[0].code, "None");
    EXPECT_EQ(stale.error().cancellation_reasons[1].code, "None");
    EXPECT_EQ(stale.error().cancellation_reasons[2].code, "ConditionalCheckFailed");
    EXPECT_NE(stale.error().message.find("nothing was written: item 2: ConditionalCheckFailed"),
              std::string::npos)
        << stale.error().message;

    EXPECT_EQ(av::get_s(*read(*client_, table, "tenant#acme"), "stage"), "legacy");
    EXPECT_FALSE(read(*client_, table, "tenant#globex"));
    EXPECT_EQ(av::get_n(*read(*client_, table, "marker"), "version"), 5);
}

TEST_F(TransactionTest, ConditionCheckGuardsWithoutWriting) {
    const std::string table = create_table("tx-check");
    ConditionCheck door_open{
        .table = table, .key = key_of("door#acme"), .condition = "attribute_not_exists(pk)"};
    PutItemRequest rollback{.table = table,
                            .item = {{"pk", av::s("tenant#acme")}, {"stage", av::s("legacy")}}};
    ASSERT_TRUE(client_->transact_write(TransactWriteRequest{.items = {door_open, rollback}}));
    EXPECT_FALSE(read(*client_, table, "door#acme"));  // the check left no item behind

    ASSERT_TRUE(client_->put_item(PutItemRequest{.table = table, .item = key_of("door#acme")}));
    rollback.item["stage"] = av::s("shadow");
    const auto refused =
        client_->transact_write(TransactWriteRequest{.items = {door_open, rollback}});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().cancellation_reasons.at(0).code, "ConditionalCheckFailed");
    EXPECT_EQ(av::get_s(*read(*client_, table, "tenant#acme"), "stage"), "legacy");
}

TEST_F(TransactionTest, TwoOperationsOnOneItemAreInvalid) {
    const std::string table = create_table("tx-twice");
    PutItemRequest put{.table = table, .item = key_of("a")};
    DeleteItemRequest remove{.table = table, .key = key_of("a")};
    const auto twice = client_->transact_write(TransactWriteRequest{.items = {put, remove}});
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().kind, ErrorKind::validation);
}

TEST_F(TransactionTest, RetriedTokenAppliesOnce) {
    const std::string table = create_table("tx-token");
    ASSERT_TRUE(client_->put_item(
        PutItemRequest{.table = table, .item = {{"pk", av::s("marker")}, {"version", av::n(1)}}}));
    auto request = move_two_tenants(table, 1);
    request.client_request_token = "retry-of-the-same-change";
    ASSERT_TRUE(client_->transact_write(request));
    // The same change again, as after a lost answer: answered as before, not applied twice
    // (its condition on version 1 would fail now).
    const auto again = client_->transact_write(request);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(av::get_n(*read(*client_, table, "marker"), "version"), 2);
}

}  // namespace
}  // namespace switchyard::dynamo::test
