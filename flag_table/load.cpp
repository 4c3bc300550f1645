// Reading the table: the full load (marker, shards, then the log written meanwhile) and the
// catch-up after a sequence number (marker, log, the items it names).
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_set>

#include "flag_table/flag_table.hpp"
#include "flag_table/layout.hpp"

namespace switchyard::flag_table {
namespace {

namespace av = dynamo::av;
using dynamo::Item;
using Clock = std::chrono::steady_clock;

// Shards read at once: enough to hide a page's round trip, few enough for a 2-core box.
constexpr unsigned kLoadThreads = 4;
// Past these, a catch-up costs more than reading everything again (and would hold a lot).
constexpr std::size_t kMaxLogEntriesPerCatchUp = 2000;
constexpr std::size_t kMaxItemsPerCatchUp = 5000;
constexpr int kLoadAttempts = 3;
// A page's JSON costs ~1 KiB of heap per item while it is read: this bounds a load's peak
// (times kLoadThreads) whatever the table holds; DynamoDB's own page limit is 1 MB of items.
constexpr int kItemsPerPage = 2000;

struct ShardRead {
    std::vector<EntryItem> entries;
    std::vector<flags::DoorClosing> doors;
    std::size_t pages = 0;
    std::size_t bytes = 0;
    double read_units = 0;
};

std::string key_text(const Item& item) { return describe_key(item); }

}  // namespace

StoreResult<Loaded> FlagTable::scan_once() {
    const auto started = Clock::now();
    auto marker = read_marker();
    if (!marker) return marker.error();
    auto config_item = client_->get_item(
        dynamo::GetItemRequest{.table = settings_.table, .key = config_key()}, call_options());
    if (!config_item) return store_error(config_item.error(), settings_.table);
    if (!config_item->has_value()) {
        return StoreError{StoreErrorKind::not_initialized,
                          "table " + settings_.table +
                              " has no config item: create it with switchyard ctl init-table"};
    }
    auto config = decode_config(**config_item);
    if (!config) return invalid(config.error());

    std::vector<ShardRead> shards(kShards);
    std::atomic<unsigned> next_shard{0};
    std::mutex failure_mutex;
    std::optional<StoreError> failure;
    const auto read_shards = [&] {
        for (unsigned shard = next_shard++; shard < kShards; shard = next_shard++) {
            auto& read = shards[shard];
            dynamo::QueryRequest query{.table = settings_.table, .key_condition = "pk = :p"};
            query.attributes.values = {{":p", av::s(shard_partition(shard))}};
            query.limit = kItemsPerPage;
            std::optional<StoreError> bad_item;
            auto pages = client_->query_pages(
                query,
                [&](const dynamo::Page& page) {
                    read.read_units += page.consumed_read_units;
                    for (const auto& item : page.items) {
                        read.bytes += item_size_bytes(item);
                        const auto kind = shard_item_kind(item);
                        if (kind == ShardItemKind::entry) {
                            auto entry = decode_entry(item);
                            if (!entry) {
                                bad_item = invalid(entry.error());
                                return false;
                            }
                            read.entries.push_back(std::move(*entry));
                        } else if (kind == ShardItemKind::door) {
                            auto door = decode_door(item);
                            if (!door) {
                                bad_item = invalid(door.error());
                                return false;
                            }
                            read.doors.push_back(std::move(*door));
                        }
                    }
                    return true;
                },
                call_options());
            std::lock_guard lock(failure_mutex);
            if (!pages && !failure) failure = store_error(pages.error(), settings_.table);
            if (bad_item && !failure) failure = std::move(bad_item);
            if (pages) read.pages = pages->pages;
            if (failure) return;
        }
    };
    std::vector<std::thread> readers;
    for (unsigned i = 0; i < kLoadThreads; ++i) readers.emplace_back(read_shards);
    for (auto& reader : readers) reader.join();
    if (failure) return *failure;

    Loaded loaded;
    loaded.seq = marker->seq;
    loaded.config_version = dynamo::av::get_n(**config_item, "version").value_or(0);
    std::vector<EntryItem> entries;
    for (auto& read : shards) {
        loaded.report.pages += read.pages;
        loaded.report.bytes += read.bytes;
        loaded.report.read_units += read.read_units;
        for (const auto& item : read.entries) {
            loaded.versions.set(item.tenant, item.version, item.entry.has_value());
            if (item.entry) ++loaded.report.entries;
        }
        loaded.report.doors += read.doors.size();
        std::move(read.entries.begin(), read.entries.end(), std::back_inserter(entries));
        std::move(read.doors.begin(), read.doors.end(), std::back_inserter(loaded.doors));
        read = ShardRead{};  // frees as it goes: a million tenants are held once, not twice
    }
    loaded.flags = build_snapshot(*config, entries);
    loaded.report.took =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    return loaded;
}

StoreResult<Loaded> FlagTable::load() {
    const auto started = Clock::now();
    std::string why;
    for (int attempt = 0; attempt < kLoadAttempts; ++attempt) {
        auto loaded = scan_once();
        if (!loaded) return loaded.error();
        // The scan is not a snapshot: whatever changed during it is in the log after the
        // marker's seq, read before the scan began. Replaying it makes the whole consistent.
        auto changes = changes_since(loaded->seq);
        if (!changes) return changes.error();
        if (changes->reload) {
            why = changes->why;
            continue;
        }
        const auto& delta = changes->delta;
        if (delta.changes_flags()) loaded->flags = apply_delta(*loaded->flags, delta);
        apply_versions(loaded->versions, delta);
        if (delta.config) loaded->config_version = delta.config_version;
        if (!delta.doors_reopened.empty()) {
            const std::unordered_set<std::string> reopened(delta.doors_reopened.begin(),
                                                           delta.doors_reopened.end());
            std::erase_if(loaded->doors, [&](const flags::DoorClosing& door) {
                return reopened.contains(door.tenant);
            });
        }
        loaded->doors.insert(loaded->doors.end(), delta.doors_closed.begin(),
                             delta.doors_closed.end());
        loaded->report.replayed = static_cast<std::size_t>(delta.seq - loaded->seq);
        loaded->seq = delta.seq;
        loaded->report.took =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
        return loaded;
    }
    return StoreError{StoreErrorKind::unavailable,
                      "table " + settings_.table + " changed too much while it was read, " +
                          std::to_string(kLoadAttempts) + " times (" + why + ")"};
}

StoreResult<Changes> FlagTable::changes_since(std::int64_t seq) {
    Changes changes;
    changes.delta.seq = seq;
    auto marker = read_marker();
    if (!marker) return marker.error();
    if (marker->seq == seq) return changes;
    if (marker->seq < seq) {
        changes.reload = true;
        changes.why = "the table's last change is " + std::to_string(marker->seq) +
                      ", before the " + std::to_string(seq) + " already read (re-created?)";
        return changes;
    }

    dynamo::QueryRequest query{.table = settings_.table,
                               .key_condition = "pk = :log AND sk > :after"};
    query.attributes.values = {{":log", av::s(kLogPartition)},
                               {":after", av::s(log_sort_key(seq))}};
    std::vector<LogEntry> log;
    std::optional<StoreError> bad_item;
    auto pages = client_->query_pages(
        query,
        [&](const dynamo::Page& page) {
            for (const auto& item : page.items) {
                auto entry = decode_log(item);
                if (!entry) {
                    bad_item = invalid(entry.error());
                    return false;
                }
                log.push_back(std::move(*entry));
            }
            return log.size() <= kMaxLogEntriesPerCatchUp;
        },
        call_options());
    if (!pages) return store_error(pages.error(), settings_.table);
    if (bad_item) return *bad_item;
    if (log.size() > kMaxLogEntriesPerCatchUp) {
        changes.reload = true;
        changes.why = "more than " + std::to_string(kMaxLogEntriesPerCatchUp) + " changes since " +
                      std::to_string(seq);
        return changes;
    }
    // Entries and the marker are written in one transaction: a hole means log items expired.
    std::int64_t expected = seq + 1;
    for (const auto& entry : log) {
        if (entry.seq != expected) break;
        ++expected;
    }
    if (expected <= marker->seq) {
        changes.reload = true;
        changes.why = "change " + std::to_string(expected) +
                      " is no longer in the log (its items "
                      "expire after " +
                      std::to_string(kLogRetention.count() / 24) + " days)";
        return changes;
    }

    std::set<std::string> entries, doors;
    bool config = false;
    for (const auto& entry : log) {
        if (entry.seq >= expected) break;  // written after the marker was read: next time
        entries.insert(entry.entries.begin(), entry.entries.end());
        doors.insert(entry.doors.begin(), entry.doors.end());
        config = config || entry.config;
    }
    if (entries.size() + doors.size() > kMaxItemsPerCatchUp) {
        changes.reload = true;
        changes.why = std::to_string(entries.size() + doors.size()) +
                      " tenants changed: reading everything is cheaper";
        return changes;
    }
    std::vector<Item> keys;
    for (const auto& tenant : entries) keys.push_back(entry_key(tenant));
    for (const auto& tenant : doors) keys.push_back(door_key(tenant));
    if (config) keys.push_back(config_key());
    auto items = get_items(keys);
    if (!items) return items.error();
    std::map<std::string, const Item*> by_key;
    for (const auto& item : *items) by_key.emplace(key_text(item), &item);

    auto& delta = changes.delta;
    delta.seq = expected - 1;
    for (const auto& tenant : entries) {
        const auto it = by_key.find(key_text(entry_key(tenant)));
        if (it == by_key.end()) {
            delta.entries.push_back({tenant, std::nullopt, 0});
            continue;
        }
        auto entry = decode_entry(*it->second);
        if (!entry) return invalid(entry.error());
        delta.entries.push_back({tenant, std::move(entry->entry), entry->version});
    }
    for (const auto& tenant : doors) {
        const auto it = by_key.find(key_text(door_key(tenant)));
        if (it == by_key.end()) {
            delta.doors_reopened.push_back(tenant);
            continue;
        }
        auto door = decode_door(*it->second);
        if (!door) return invalid(door.error());
        delta.doors_closed.push_back(std::move(*door));
    }
    if (config) {
        const auto it = by_key.find(key_text(config_key()));
        if (it == by_key.end()) {
            return invalid(Error{"the config item is gone"});
        }
        auto value = decode_config(*it->second);
        if (!value) return invalid(value.error());
        delta.config = *value;
        delta.config_version = dynamo::av::get_n(*it->second, "version").value_or(0);
    }
    return changes;
}

}  // namespace switchyard::flag_table
