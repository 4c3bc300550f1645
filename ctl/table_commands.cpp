#include "ctl/table_commands.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <istream>
#include <ostream>
#include <sstream>

#include "config/config.hpp"
#include "ctl/text_util.hpp"
#include "flag_table/import_plan.hpp"
#include "flags/door_journal.hpp"
#include "flags/editable_document.hpp"
#include "flags/flag_document.hpp"

namespace switchyard::ctl {
namespace {

using flag_table::StoreErrorKind;

constexpr std::size_t kMaxListed = 20;

ExitCode exit_code_for(StoreErrorKind kind) {
    switch (kind) {
        case StoreErrorKind::unavailable:
            return ExitCode::connection_failed;
        case StoreErrorKind::not_initialized:
            return ExitCode::not_found;
        default:
            return ExitCode::failure;
    }
}

ExitCode fail(std::ostream& err, const flag_table::StoreError& error) {
    err << "switchyard ctl: " << error.message << "\n";
    return exit_code_for(error.kind);
}

std::string listing(const std::vector<std::string>& items) {
    std::vector<std::string> shown(items.begin(),
                                   items.begin() + std::min(items.size(), kMaxListed));
    auto text = join(shown);
    if (items.size() > kMaxListed)
        text += " and " + std::to_string(items.size() - kMaxListed) + " more";
    return text;
}

// The table to work on, from --config and the flags given; nothing when the caller must be told.
std::unique_ptr<flag_table::FlagTable> open_table(const TableTarget& target, std::ostream& err) {
    flag_table::TableSettings settings;
    if (!target.config_file.empty()) {
        auto config = config::load_config(target.config_file);
        if (!config) {
            err << "switchyard ctl: " << config.error().message << "\n";
            return nullptr;
        }
        if (!config->flags.dynamodb) {
            err << "switchyard ctl: " << target.config_file
                << ": its flags are a file, not a DynamoDB table (flags.dynamodb); give --table "
                   "and --region instead\n";
            return nullptr;
        }
        settings.table = config->flags.dynamodb->table;
        settings.client.region = config->flags.dynamodb->region;
        settings.client.endpoint = config->flags.dynamodb->endpoint;
    }
    if (!target.table.empty()) settings.table = target.table;
    if (!target.region.empty()) settings.client.region = target.region;
    if (!target.endpoint.empty()) settings.client.endpoint = target.endpoint;
    if (settings.table.empty() || settings.client.region.empty()) {
        err << "switchyard ctl: which table? give --config with a flags.dynamodb section, or "
               "--table and --region (and --endpoint for a local DynamoDB)\n";
        return nullptr;
    }
    const std::chrono::milliseconds timeout{target.timeout_ms};
    settings.call_timeout = timeout;
    settings.client.call_timeout = timeout;
    settings.client.attempt_timeout = timeout;
    settings.client.connect_timeout = std::min(timeout, std::chrono::milliseconds(3000));
    const char* user = std::getenv("USER");
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    settings.instance = std::string("ctl (") + (user ? user : "someone") + "@" + host + ")";
    auto table = flag_table::FlagTable::open(settings);
    if (!table) {
        err << "switchyard ctl: " << table.error().message << "\n";
        return nullptr;
    }
    return std::move(*table);
}

// "1 tenant", "2 tenants".
std::string count(std::size_t n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string where(flag_table::FlagTable& table) {
    return "table " + table.name() + " in " + table.settings().client.region + " (" +
           table.client().endpoint() + ")";
}

Result<std::string> read_document(const std::string& file, std::istream& in) {
    std::ostringstream text;
    if (file == "-") {
        text << in.rdbuf();
        return text.str();
    }
    std::ifstream stream(file, std::ios::binary);
    if (!stream) return Error{file + ": cannot read"};
    text << stream.rdbuf();
    return text.str();
}

}  // namespace

ExitCode init_table(const TableTarget& target, std::ostream& out, std::ostream& err) {
    auto table = open_table(target, err);
    if (!table) return ExitCode::usage;
    auto made = table->init_table(std::chrono::seconds(120));
    if (!made) return fail(err, made.error());
    out << where(*table) << ": "
        << (made->table_created ? "created (on-demand capacity, keys pk and sk, both strings)"
                                : "already there")
        << ", active\n";
    out << "time to live on expires_at (change log items, after 7 days): "
        << (made->ttl_enabled ? "on" : "off: " + made->ttl_note) << "\n";
    out << "marker: " << (made->marker_created ? "created" : "kept") << " at change " << made->seq
        << "\n";
    return ExitCode::ok;
}

ExitCode export_flags(const TableTarget& target, std::ostream& out, std::ostream& err) {
    auto table = open_table(target, err);
    if (!table) return ExitCode::usage;
    auto loaded = table->load();
    if (!loaded) return fail(err, loaded.error());
    out << flags::EditableDocument::from(*loaded->flags).render();
    err << "exported " << where(*table) << " at change " << loaded->seq << ": "
        << loaded->flags->tenant_count() << " tenants with an entry (" << loaded->doors.size()
        << " closed doors stay in the table)\n";
    return ExitCode::ok;
}

ExitCode import_flags(const TableTarget& target, const ImportArgs& args, std::istream& in,
                      std::ostream& out, std::ostream& err) {
    auto text = read_document(args.file, in);
    if (!text) {
        err << "switchyard ctl: " << text.error().message << "\n";
        return ExitCode::usage;
    }
    // Refused before the table is touched, as the file store refuses it.
    auto document = flags::parse_flag_document(*text);
    if (!document) {
        err << "switchyard ctl: " << args.file << ": " << document.error().message
            << "\n  nothing was imported\n";
        return ExitCode::usage;
    }
    auto table = open_table(target, err);
    if (!table) return ExitCode::usage;
    auto loaded = table->load();
    if (!loaded) return fail(err, loaded.error());

    const char* user = std::getenv("USER");
    const flag_table::ImportStamp stamp{
        std::string("ctl import (") + (user ? user : "someone") + ")", args.reason, args.force,
        flags::unix_now_ms()};
    const auto plan = flag_table::plan_import(*loaded, **document, stamp);
    if (!plan.refused.empty()) {
        err << "switchyard ctl: import refused, nothing was written:\n";
        for (const auto& line : plan.refused) err << "  " << line << "\n";
        const bool doors = std::any_of(
            plan.refused.begin(), plan.refused.end(),
            [](const auto& line) { return line.find("door closed") != std::string::npos; });
        if (doors && !args.force) {
            err << "  To accept that loss, import again with --force (the reason is audited).\n";
        }
        return ExitCode::refused_by_door;
    }
    if (plan.empty()) {
        out << "nothing to import: " << where(*table) << " already holds " << args.file
            << " (change " << loaded->seq << ")\n";
        return ExitCode::ok;
    }
    std::size_t written = 0;
    std::int64_t last_seq = loaded->seq;
    for (const auto& change : plan.changes) {
        const auto result = table->commit(change);
        if (result.status != flag_table::CommitStatus::committed) {
            err << "switchyard ctl: import stopped after " << written << " of "
                << plan.changes.size() << " changes: " << result.message << "\n";
            if (result.maybe_applied) {
                err << "  (the last change may have been applied: its answer was lost)\n";
            }
            if (result.status == flag_table::CommitStatus::base_changed) {
                err << "  Someone changed the table meanwhile; import again to finish (it starts "
                       "from what the table holds then).\n";
                return ExitCode::precondition_failed;
            }
            return result.status == flag_table::CommitStatus::unavailable
                       ? ExitCode::connection_failed
                       : ExitCode::failure;
        }
        ++written;
        last_seq = result.seq;
    }
    out << "imported " << args.file << " into " << where(*table) << ": "
        << count(plan.tenants_set, "tenant") << " set, " << plan.tenants_unpinned << " unpinned"
        << (plan.config_changed ? ", default stage and rollout changed" : "") << ", in "
        << count(plan.changes.size(), "change") << " (now at change " << last_seq << ")\n";
    if (!plan.forced.empty()) {
        out << "forced past their closed doors (audited): " << listing(plan.forced) << "\n";
    }
    if (!plan.held.empty()) {
        out << "held on new (their doors are closed, so this import did not move them): "
            << listing(plan.held) << "\n";
    }
    return ExitCode::ok;
}

}  // namespace switchyard::ctl
