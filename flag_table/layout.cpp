#include "flag_table/layout.hpp"

#include <cstdio>

#include "common/utc_time.hpp"
#include "flags/hash.hpp"

namespace switchyard::flag_table {

unsigned shard_of(std::string_view tenant) noexcept {
    return static_cast<unsigned>(flags::fmix64(flags::fnv1a64(tenant)) % kShards);
}

std::string shard_partition(unsigned shard) {
    char text[16];
    std::snprintf(text, sizeof text, "shard#%02u", shard);
    return text;
}

dynamo::Item item_key(std::string_view pk, std::string_view sk) {
    return {{kPartitionKey, dynamo::av::s(pk)}, {kSortKey, dynamo::av::s(sk)}};
}

dynamo::Item marker_key() { return item_key("marker", "marker"); }
dynamo::Item config_key() { return item_key("config", "config"); }

dynamo::Item entry_key(std::string_view tenant) {
    return item_key(shard_partition(shard_of(tenant)),
                    std::string(kEntryPrefix) + std::string(tenant));
}

dynamo::Item door_key(std::string_view tenant) {
    return item_key(shard_partition(shard_of(tenant)),
                    std::string(kDoorPrefix) + std::string(tenant));
}

std::string log_sort_key(std::int64_t seq) {
    char text[24];
    std::snprintf(text, sizeof text, "%020lld", static_cast<long long>(seq));
    return text;
}

dynamo::Item log_key(std::int64_t seq) { return item_key(kLogPartition, log_sort_key(seq)); }

std::string audit_partition(std::int64_t unix_ms) {
    return "audit#" + utc_time(unix_ms, Precision::milliseconds).substr(0, 7);
}

std::string audit_sort_key(std::int64_t unix_ms, std::int64_t seq) {
    return utc_time(unix_ms, Precision::milliseconds) + "#" + log_sort_key(seq);
}

std::string previous_audit_partition(std::string_view partition) {
    // "audit#YYYY-MM"
    int year = 0, month = 0;
    if (std::sscanf(std::string(partition).c_str(), "audit#%4d-%2d", &year, &month) != 2) return {};
    if (--month == 0) {
        month = 12;
        --year;
    }
    char text[24];
    std::snprintf(text, sizeof text, "audit#%04d-%02d", year, month);
    return text;
}

}  // namespace switchyard::flag_table
