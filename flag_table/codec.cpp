#include "flag_table/codec.hpp"

#include <chrono>

#include "flag_table/layout.hpp"
#include "flags/tenant_id.hpp"

namespace switchyard::flag_table {
namespace {

namespace av = dynamo::av;
using dynamo::Item;

void put_text(Item& item, const char* name, std::string_view text) {
    if (!text.empty()) item[name] = av::s(text);
}

std::string text_or_empty(const Item& item, const char* name) {
    return av::get_s(item, name).value_or(std::string{});
}

Error bad(const Item& item, std::string_view problem) {
    return Error{"item " + describe_key(item) + ": " + std::string(problem)};
}

// A required stage attribute, or the error naming it.
Result<Stage> stage_at(const Item& item, const char* name) {
    const auto text = av::get_s(item, name);
    if (!text) return bad(item, std::string(name) + " is missing");
    const auto stage = parse_stage(*text);
    if (!stage) return bad(item, std::string(name) + " \"" + *text + "\" is not a stage");
    return *stage;
}

Result<std::string> tenant_after(const Item& item, std::string_view prefix) {
    const auto sk = av::get_s(item, kSortKey).value_or(std::string{});
    const auto tenant = sk.substr(prefix.size());
    if (const auto problem = flags::tenant_id_problem(tenant); !problem.empty()) {
        return bad(item, "the tenant id " + std::string(problem));
    }
    if (av::get_s(item, kPartitionKey) != shard_partition(shard_of(tenant))) {
        return bad(item, "tenant " + tenant + " belongs in " + shard_partition(shard_of(tenant)));
    }
    return tenant;
}

nlohmann::json strings_json(const std::vector<std::string>& texts) {
    std::vector<dynamo::AttributeValue> values;
    values.reserve(texts.size());
    for (const auto& text : texts) values.push_back(av::s(text));
    return av::l(std::move(values));
}

std::vector<std::string> strings_of(const Item& item, const char* name) {
    std::vector<std::string> texts;
    if (const auto* list = av::get_l(item, name)) {
        for (const auto& value : *list) {
            if (value.is_object() && value.contains("S") && value["S"].is_string()) {
                texts.push_back(value["S"].get<std::string>());
            }
        }
    }
    return texts;
}

std::size_t number_size(const std::string& text) {
    std::size_t digits = 0;
    bool leading = true;
    for (char c : text) {
        if (c < '0' || c > '9') continue;
        if (leading && c == '0') continue;
        leading = false;
        ++digits;
    }
    return (digits + 1) / 2 + 1;
}

std::size_t value_size(const nlohmann::json& value) {
    if (!value.is_object() || value.size() != 1) return 0;
    const auto entry = value.begin();
    const std::string& type = entry.key();
    const auto& content = entry.value();
    if (type == "S" || type == "B") return content.get_ref<const std::string&>().size();
    if (type == "N") return number_size(content.get<std::string>());
    if (type == "BOOL" || type == "NULL") return 1;
    std::size_t size = 3;
    if (type == "L") {
        for (const auto& element : content) size += 1 + value_size(element);
    } else if (type == "M") {
        for (const auto& [name, element] : content.items()) {
            size += 1 + name.size() + value_size(element);
        }
    }
    return size;
}

}  // namespace

ConfigValue ConfigValue::of(const flags::FlagSnapshot& flags) {
    const auto& rollout = flags.rollout();
    return {flags.default_stage(), rollout.stage(), rollout.percent_hundredths(), rollout.salt()};
}

flags::Rollout ConfigValue::rollout() const {
    return flags::Rollout(rollout_stage, rollout_percent_hundredths, rollout_salt);
}

flags::EditableRollout ConfigValue::editable_rollout() const {
    const bool present =
        rollout_percent_hundredths > 0 || !rollout_salt.empty() || rollout_stage != Stage::legacy;
    return {rollout_stage, rollout_percent_hundredths, rollout_salt, present};
}

std::string describe_key(const Item& item) {
    return av::get_s(item, kPartitionKey).value_or("?") + "/" +
           av::get_s(item, kSortKey).value_or("?");
}

std::size_t item_size_bytes(const Item& item) {
    std::size_t size = 0;
    for (const auto& [name, value] : item.items()) size += name.size() + value_size(value);
    return size;
}

Item encode_marker(const Marker& marker) {
    Item item = marker_key();
    item["seq"] = av::n(marker.seq);
    item["format"] = av::n(marker.format);
    item["shards"] = av::n(marker.shards);
    put_text(item, "first_audit_partition", marker.first_audit_partition);
    return item;
}

Result<Marker> decode_marker(const Item& item) {
    Marker marker;
    const auto seq = av::get_n(item, "seq");
    const auto format = av::get_n(item, "format");
    const auto shards = av::get_n(item, "shards");
    if (!seq || !format || !shards) return bad(item, "seq, format and shards must be numbers");
    marker.seq = *seq;
    marker.format = *format;
    marker.shards = *shards;
    marker.first_audit_partition = text_or_empty(item, "first_audit_partition");
    return marker;
}

Item encode_config(const ConfigValue& config, std::int64_t version, std::int64_t seq) {
    Item item = config_key();
    item["default_stage"] = av::s(to_string(config.default_stage));
    item["rollout_stage"] = av::s(to_string(config.rollout_stage));
    item["rollout_percent_hundredths"] = av::n(config.rollout_percent_hundredths);
    put_text(item, "rollout_salt", config.rollout_salt);
    item["version"] = av::n(version);
    item["seq"] = av::n(seq);
    return item;
}

Result<ConfigValue> decode_config(const Item& item) {
    ConfigValue config;
    auto default_stage = stage_at(item, "default_stage");
    if (!default_stage) return default_stage.error();
    auto rollout_stage = stage_at(item, "rollout_stage");
    if (!rollout_stage) return rollout_stage.error();
    const auto percent = av::get_n(item, "rollout_percent_hundredths");
    if (!percent || *percent < 0 || *percent > 10000) {
        return bad(item, "rollout_percent_hundredths must be a number from 0 to 10000");
    }
    config.default_stage = *default_stage;
    config.rollout_stage = *rollout_stage;
    config.rollout_percent_hundredths = static_cast<std::uint32_t>(*percent);
    config.rollout_salt = text_or_empty(item, "rollout_salt");
    return config;
}

Item encode_entry(std::string_view tenant, const flags::EditableEntry& entry, std::int64_t version,
                  std::int64_t seq) {
    Item item = entry_key(tenant);
    item["stage"] = av::s(to_string(entry.stage));
    put_text(item, "note", entry.note);
    item["version"] = av::n(version);
    item["seq"] = av::n(seq);
    return item;
}

Result<EntryItem> decode_entry(const Item& item) {
    auto tenant = tenant_after(item, kEntryPrefix);
    if (!tenant) return tenant.error();
    EntryItem entry;
    entry.tenant = std::move(*tenant);
    if (item.contains("stage")) {
        auto stage = stage_at(item, "stage");
        if (!stage) return stage.error();
        entry.entry = flags::EditableEntry{*stage, text_or_empty(item, "note")};
    }
    entry.version = av::get_n(item, "version").value_or(0);
    entry.seq = av::get_n(item, "seq").value_or(0);
    return entry;
}

Item encode_door(const flags::DoorClosing& closing, std::int64_t seq) {
    Item item = door_key(closing.tenant);
    item["unix_ms"] = av::n(closing.unix_ms);
    put_text(item, "request_id", closing.request_id);
    put_text(item, "instance", closing.instance);
    put_text(item, "method", closing.method);
    put_text(item, "path", closing.path);
    item["seq"] = av::n(seq);
    return item;
}

Result<flags::DoorClosing> decode_door(const Item& item) {
    auto tenant = tenant_after(item, kDoorPrefix);
    if (!tenant) return tenant.error();
    flags::DoorClosing closing;
    closing.tenant = std::move(*tenant);
    closing.unix_ms = av::get_n(item, "unix_ms").value_or(0);
    closing.request_id = text_or_empty(item, "request_id");
    closing.instance = text_or_empty(item, "instance");
    closing.method = text_or_empty(item, "method");
    closing.path = text_or_empty(item, "path");
    return closing;
}

Item encode_log(const LogEntry& entry) {
    Item item = log_key(entry.seq);
    item["seq"] = av::n(entry.seq);
    item["unix_ms"] = av::n(entry.unix_ms);
    put_text(item, "by", entry.by);
    if (!entry.entries.empty()) item["entries"] = strings_json(entry.entries);
    if (!entry.doors.empty()) item["doors"] = strings_json(entry.doors);
    if (entry.config) item["config"] = av::boolean(true);
    if (entry.resync) item["resync"] = av::boolean(true);
    const auto expires = std::chrono::milliseconds(entry.unix_ms) + kLogRetention;
    item[kExpiresAt] = av::n(std::chrono::duration_cast<std::chrono::seconds>(expires).count());
    return item;
}

Result<LogEntry> decode_log(const Item& item) {
    LogEntry entry;
    const auto seq = av::get_n(item, "seq");
    if (!seq) return bad(item, "seq must be a number");
    entry.seq = *seq;
    entry.unix_ms = av::get_n(item, "unix_ms").value_or(0);
    entry.by = text_or_empty(item, "by");
    entry.entries = strings_of(item, "entries");
    entry.doors = strings_of(item, "doors");
    entry.config = av::get_bool(item, "config").value_or(false);
    entry.resync = av::get_bool(item, "resync").value_or(false);
    return entry;
}

Item encode_audit(const AuditRecord& record) {
    Item item =
        item_key(audit_partition(record.unix_ms), audit_sort_key(record.unix_ms, record.seq));
    item["seq"] = av::n(record.seq);
    item["unix_ms"] = av::n(record.unix_ms);
    if (!record.tenants.empty()) item["tenants"] = strings_json(record.tenants);
    std::vector<dynamo::AttributeValue> entries;
    for (const auto& entry : record.entries) entries.push_back(av::from_json(entry));
    item["entries"] = av::l(std::move(entries));
    return item;
}

Result<AuditRecord> decode_audit(const Item& item) {
    AuditRecord record;
    record.seq = av::get_n(item, "seq").value_or(0);
    record.unix_ms = av::get_n(item, "unix_ms").value_or(0);
    record.tenants = strings_of(item, "tenants");
    const auto* entries = av::get_l(item, "entries");
    if (!entries) return bad(item, "entries must be a list");
    try {
        for (const auto& entry : *entries) record.entries.push_back(av::to_json(entry));
    } catch (const std::exception& e) {
        return bad(item, std::string("entries: ") + e.what());
    }
    return record;
}

ShardItemKind shard_item_kind(const Item& item) {
    const auto sk = av::get_s(item, kSortKey).value_or(std::string{});
    if (sk.starts_with(kEntryPrefix)) return ShardItemKind::entry;
    if (sk.starts_with(kDoorPrefix)) return ShardItemKind::door;
    return ShardItemKind::other;
}

}  // namespace switchyard::flag_table
