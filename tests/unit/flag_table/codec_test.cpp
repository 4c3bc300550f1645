// The table's items as switchyard writes them, read back; and items it did not write that way
// refused with the item and the attribute named.
#include "flag_table/codec.hpp"

#include <gtest/gtest.h>

#include "flag_table/layout.hpp"

namespace switchyard::flag_table {
namespace {

namespace av = dynamo::av;

TEST(CodecTest, EntryRoundTrip) {
    const auto item = encode_entry("acme", {Stage::new_, "moved on call"}, 3, 42);
    const auto entry = decode_entry(item);
    ASSERT_TRUE(entry) << entry.error().message;
    EXPECT_EQ(entry->tenant, "acme");
    EXPECT_EQ(entry->entry, (flags::EditableEntry{Stage::new_, "moved on call"}));
    EXPECT_EQ(entry->version, 3);
    EXPECT_EQ(entry->seq, 42);
}

TEST(CodecTest, EmptyStringsAreNeverStored) {
    const auto entry = encode_entry("acme", {Stage::reads, ""}, 1, 1);
    EXPECT_FALSE(entry.contains("note"));
    const auto config = encode_config(ConfigValue{}, 1, 0);
    EXPECT_FALSE(config.contains("rollout_salt"));
    const auto door = encode_door({"acme", 1, "", "", "", ""}, 1);
    for (const auto* name : {"request_id", "instance", "method", "path"}) {
        EXPECT_FALSE(door.contains(name)) << name;
    }
    ASSERT_TRUE(decode_entry(entry));
    EXPECT_EQ(decode_entry(entry)->entry->note, "");
}

TEST(CodecTest, DoorRoundTrip) {
    const flags::DoorClosing closing{"globex", 1764000000123, "5f3a", "proxy-1", "POST", "/orders"};
    const auto item = encode_door(closing, 7);
    EXPECT_EQ(item["sk"], av::s("door#globex"));
    const auto decoded = decode_door(item);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->tenant, "globex");
    EXPECT_EQ(decoded->unix_ms, closing.unix_ms);
    EXPECT_EQ(decoded->request_id, "5f3a");
    EXPECT_EQ(decoded->instance, "proxy-1");
    EXPECT_EQ(decoded->method, "POST");
    EXPECT_EQ(decoded->path, "/orders");
}

TEST(CodecTest, ConfigRoundTrip) {
    const ConfigValue config{Stage::shadow, Stage::new_, 1250, "wave-2"};
    const auto decoded = decode_config(encode_config(config, 4, 9));
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, config);
    EXPECT_EQ(decoded->rollout().percent_hundredths(), 1250u);
    EXPECT_TRUE(decoded->editable_rollout().present);
    EXPECT_FALSE(ConfigValue{}.editable_rollout().present);
}

TEST(CodecTest, LogRoundTripWithItsExpiry) {
    const LogEntry entry{12, 1764000000000, "proxy-2", {"acme", "globex"}, {"initech"}, true};
    const auto item = encode_log(entry);
    EXPECT_EQ(item["sk"], av::s("00000000000000000012"));
    EXPECT_EQ(av::get_n(item, "expires_at"), 1764000000 + 7 * 24 * 3600);
    const auto decoded = decode_log(item);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->seq, 12);
    EXPECT_EQ(decoded->by, "proxy-2");
    EXPECT_EQ(decoded->entries, (std::vector<std::string>{"acme", "globex"}));
    EXPECT_EQ(decoded->doors, (std::vector<std::string>{"initech"}));
    EXPECT_TRUE(decoded->config);
}

TEST(CodecTest, AuditRoundTripKeepsTheEntriesJson) {
    const nlohmann::json entry{{"time", "2026-11-23T07:09:11.567Z"},
                               {"unix_ms", 1795417751567},
                               {"token", "alice"},
                               {"action", "set_rollout"},
                               {"tenant", nullptr},
                               {"before", {{"percent", 12.5}}},
                               {"after", {{"stage", "new"}, {"percent", 5}}},
                               {"reason", "wave 1"},
                               {"force", false},
                               {"request_id", "r1"}};
    const AuditRecord record{42, 1795417751567, {"acme"}, {entry}};
    const auto item = encode_audit(record);
    EXPECT_EQ(item["pk"], av::s("audit#2026-11"));
    EXPECT_EQ(item["sk"], av::s("2026-11-23T07:09:11.567Z#00000000000000000042"));
    const auto decoded = decode_audit(item);
    ASSERT_TRUE(decoded) << decoded.error().message;
    ASSERT_EQ(decoded->entries.size(), 1u);
    EXPECT_EQ(decoded->entries[0], entry);
    EXPECT_EQ(decoded->tenants, (std::vector<std::string>{"acme"}));
}

TEST(CodecTest, MarkerRoundTrip) {
    const Marker marker{17, kFormat, kShards, "audit#2026-11"};
    const auto decoded = decode_marker(encode_marker(marker));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->seq, 17);
    EXPECT_EQ(decoded->first_audit_partition, "audit#2026-11");
}

TEST(CodecTest, AnEntryWithoutAStageIsATombstoneWithItsVersion) {
    auto item = encode_entry("acme", {Stage::new_, "x"}, 4, 9);
    item.erase("stage");
    item.erase("note");
    const auto entry = decode_entry(item);
    ASSERT_TRUE(entry) << entry.error().message;
    EXPECT_FALSE(entry->entry);
    EXPECT_EQ(entry->version, 4);
}

TEST(CodecTest, AnUnknownStageNamesTheItem) {
    auto item = encode_entry("acme", {Stage::new_, ""}, 1, 1);
    item["stage"] = av::s("nwe");
    const auto entry = decode_entry(item);
    ASSERT_FALSE(entry);
    EXPECT_EQ(entry.error().message, "item " + shard_partition(shard_of("acme")) +
                                         "/tenant#acme: stage \"nwe\" is not a stage");
}

TEST(CodecTest, AnItemInTheWrongShardIsRefused) {
    auto item = encode_entry("acme", {Stage::new_, ""}, 1, 1);
    const auto wrong = shard_partition((shard_of("acme") + 1) % kShards);
    item["pk"] = av::s(wrong);
    const auto entry = decode_entry(item);
    ASSERT_FALSE(entry);
    EXPECT_NE(entry.error().message.find("belongs in " + shard_partition(shard_of("acme"))),
              std::string::npos)
        << entry.error().message;
}

TEST(CodecTest, AnInvalidTenantIdIsRefused) {
    auto item = encode_entry("acme", {Stage::new_, ""}, 1, 1);
    item["sk"] = av::s("tenant#");
    ASSERT_FALSE(decode_entry(item));
}

TEST(CodecTest, ShardItemsAreToldApartBySortKey) {
    EXPECT_EQ(shard_item_kind(encode_entry("a", {}, 1, 1)), ShardItemKind::entry);
    EXPECT_EQ(shard_item_kind(encode_door({"a", 1, "", "", "", ""}, 1)), ShardItemKind::door);
    EXPECT_EQ(shard_item_kind(item_key("shard#00", "other#a")), ShardItemKind::other);
}

TEST(CodecTest, ItemSizeCountsNamesAndValuesAsDynamoDbDoes) {
    // pk "shard#07" 2+8, sk "tenant#acme" 2+11, stage "new" 5+3, version 1: 7+2, seq 42: 3+2.
    const dynamo::Item item{{"pk", av::s("shard#07")},
                            {"sk", av::s("tenant#acme")},
                            {"stage", av::s("new")},
                            {"version", av::n(1)},
                            {"seq", av::n(42)}};
    EXPECT_EQ(item_size_bytes(item), 10u + 13u + 8u + 9u + 5u);
    // A list: 3 bytes, plus 1 per element and its value.
    const dynamo::Item list{{"l", av::l({av::s("ab"), av::s("c")})}};
    EXPECT_EQ(item_size_bytes(list), 1u + 3u + (1u + 2u) + (1u + 1u));
}

}  // namespace
}  // namespace switchyard::flag_table
