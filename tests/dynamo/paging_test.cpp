#include <algorithm>
#include <set>

#include "dynalite_fixture.hpp"

namespace switchyard::dynamo::test {
namespace {

using PagingTest = DynaliteTest;

void put_numbered(Client& client, const std::string& table, const std::string& pk, int count) {
    for (int i = 0; i < count; ++i) {
        char sk[16];
        std::snprintf(sk, sizeof sk, "item#%03d", i);
        Item item = {{"pk", av::s(pk)}, {"sk", av::s(sk)}, {"n", av::n(i)}};
        ASSERT_TRUE(client.put_item(PutItemRequest{.table = table, .item = item}));
    }
}

TEST_F(PagingTest, QueryReturnsOnePartitionInSortKeyOrder) {
    const std::string table = create_table("query", true);
    put_numbered(*client_, table, "audit#2026-11", 5);
    put_numbered(*client_, table, "audit#2026-12", 3);

    QueryRequest query{.table = table};
    query.key_condition = "pk = :pk AND begins_with(sk, :prefix)";
    query.attributes.values = {{":pk", av::s("audit#2026-11")}, {":prefix", av::s("item#")}};
    query.forward = false;
    const auto page = client_->query(query);
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->items.size(), 5u);
    EXPECT_EQ(av::get_s(page->items.front(), "sk"), "item#004");
    EXPECT_EQ(av::get_s(page->items.back(), "sk"), "item#000");
    EXPECT_FALSE(page->last_evaluated_key);
}

TEST_F(PagingTest, QueryPagesFollowLastEvaluatedKey) {
    const std::string table = create_table("query-pages", true);
    put_numbered(*client_, table, "p", 10);
    QueryRequest query{.table = table};
    query.key_condition = "pk = :pk";
    query.attributes.values = {{":pk", av::s("p")}};
    query.limit = 4;
    std::vector<std::string> seen;
    const auto summary = client_->query_pages(query, [&](const Page& page) {
        for (const auto& item : page.items) seen.push_back(*av::get_s(item, "sk"));
        return true;
    });
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->pages, 3u);
    ASSERT_EQ(seen.size(), 10u);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

TEST_F(PagingTest, ScanReadsEveryItemOverSeveralPages) {
    const std::string table = create_table("scan");
    for (int i = 0; i < 25; ++i) {
        ASSERT_TRUE(client_->put_item(PutItemRequest{
            .table = table,
            .item = {{"pk", av::s("tenant#" + std::to_string(i))}, {"n", av::n(i)}}}));
    }
    ScanRequest scan{.table = table};
    scan.limit = 7;
    std::set<std::string> keys;
    std::size_t pages_seen = 0;
    const auto summary = client_->scan_pages(scan, [&](const Page& page) {
        ++pages_seen;
        EXPECT_LE(page.items.size(), 7u);
        for (const auto& item : page.items) keys.insert(*av::get_s(item, "pk"));
        return true;
    });
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_GE(summary->pages, 4u);
    EXPECT_EQ(summary->pages, pages_seen);
    EXPECT_EQ(summary->items, 25u);
    EXPECT_EQ(keys.size(), 25u);
    EXPECT_FALSE(summary->stopped_early);
}

TEST_F(PagingTest, ScanStopsWhenTheHandlerSaysSo) {
    const std::string table = create_table("scan-stop");
    for (int i = 0; i < 9; ++i) {
        ASSERT_TRUE(client_->put_item(
            PutItemRequest{.table = table, .item = {{"pk", av::s(std::to_string(i))}}}));
    }
    ScanRequest scan{.table = table};
    scan.limit = 3;
    const auto summary = client_->scan_pages(scan, [](const Page&) { return false; });
    ASSERT_TRUE(summary);
    EXPECT_EQ(summary->pages, 1u);
    EXPECT_TRUE(summary->stopped_early);
}

}  // namespace
}  // namespace switchyard::dynamo::test
