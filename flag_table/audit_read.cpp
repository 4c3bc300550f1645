// The audit, newest first: a month's partition at a time, each read backwards, from this month
// to the first month anything was audited (the marker keeps it).
#include "flag_table/flag_table.hpp"
#include "flag_table/layout.hpp"
#include "flags/door_journal.hpp"

namespace switchyard::flag_table {
namespace {

namespace av = dynamo::av;

// An admin read stays bounded however long the history (a year of months, densely filled).
constexpr std::size_t kMaxAuditPages = 64;
// A writer whose clock runs a little ahead files its entries in the next month.
constexpr std::int64_t kClockSkewMs = 24 * 3600 * 1000;

}  // namespace

StoreResult<std::vector<nlohmann::json>> FlagTable::read_audit(const AuditQuery& query) {
    std::vector<nlohmann::json> entries;
    auto marker = read_marker();
    if (!marker) return marker.error();
    const auto& first = marker->first_audit_partition;
    if (first.empty() || query.limit == 0) return entries;
    std::size_t pages = 0;
    std::optional<StoreError> bad_item;
    for (auto partition = audit_partition(flags::unix_now_ms() + kClockSkewMs);
         partition >= first && entries.size() < query.limit && pages < kMaxAuditPages;
         partition = previous_audit_partition(partition)) {
        dynamo::QueryRequest request{.table = settings_.table, .key_condition = "pk = :p"};
        request.attributes.values = {{":p", av::s(partition)}};
        request.forward = false;
        auto read = client_->query_pages(
            request,
            [&](const dynamo::Page& page) {
                for (const auto& item : page.items) {
                    auto record = decode_audit(item);
                    if (!record) {
                        bad_item = invalid(record.error());
                        return false;
                    }
                    // A record's entries are oldest first; the answer is newest first.
                    for (auto it = record->entries.rbegin(); it != record->entries.rend(); ++it) {
                        const bool wanted =
                            query.tenant.empty() ||
                            (it->contains("tenant") && (*it)["tenant"] == query.tenant);
                        if (wanted && entries.size() < query.limit) entries.push_back(*it);
                    }
                }
                return entries.size() < query.limit;
            },
            call_options(), kMaxAuditPages - pages);
        if (!read) return store_error(read.error(), settings_.table);
        if (bad_item) return *bad_item;
        pages += read->pages;
    }
    return entries;
}

}  // namespace switchyard::flag_table
