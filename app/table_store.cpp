#include "app/table_store.hpp"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "app/flag_changes.hpp"

namespace switchyard::app {
namespace {

using Clock = std::chrono::steady_clock;

flag_table::TableSettings table_settings(const config::Config& config, std::string instance) {
    const auto& dynamodb = *config.flags.dynamodb;
    flag_table::TableSettings settings;
    settings.table = dynamodb.table;
    settings.client.region = dynamodb.region;
    settings.client.endpoint = dynamodb.endpoint;
    settings.client.connect_timeout =
        std::min(dynamodb.call_timeout, std::chrono::milliseconds(2000));
    settings.client.attempt_timeout = dynamodb.call_timeout;
    settings.client.call_timeout = dynamodb.call_timeout;
    settings.call_timeout = dynamodb.call_timeout;
    settings.instance = std::move(instance);
    return settings;
}

double seconds_since(Clock::time_point then) {
    return std::chrono::duration<double>(Clock::now() - then).count();
}

}  // namespace

TableStore::TableStore(const config::Config& config, std::string instance,
                       routing::SnapshotStore& snapshots)
    : settings_(*config.flags.dynamodb), poll_interval_(config.flags.poll_interval) {
    auto table = flag_table::FlagTable::open(table_settings(config, std::move(instance)));
    if (!table) throw std::runtime_error("flags.dynamodb: " + table.error().message);
    table_ = std::move(*table);
    doors_ = std::make_unique<flag_table::LiveDoors>(
        [&snapshots](std::shared_ptr<const flags::FlagSnapshot> flags,
                     std::shared_ptr<const flags::DoorSet> doors) {
            snapshots.update_flags_and_doors(std::move(flags), std::move(doors));
        });

    flag_table::TablePoller::Hooks hooks;
    const std::string name = settings_.table;
    hooks.on_stale = [name](const flag_table::StoreError& error) {
        spdlog::error(
            "flags: table {} does not answer ({}); serving the last good flags and "
            "doors until it does; admin changes answer 503",
            name, error.message);
    };
    hooks.on_recovered = [name](std::chrono::milliseconds stale_for) {
        spdlog::info("flags: table {} answers again after {:.1f} s; caught up", name,
                     std::chrono::duration<double>(stale_for).count());
    };
    hooks.on_loaded = [name](const flag_table::LoadReport& report, std::int64_t seq) {
        // The pages' JSON is gone, but malloc keeps the pages it held: hand them back.
        ::malloc_trim(0);
        spdlog::info(
            "flags: loaded table {} at change {}: {} tenants with an entry, {} closed "
            "doors, {} pages, {:.1f} read units, {} ms",
            name, seq, report.entries, report.doors, report.pages, report.read_units,
            report.took.count());
    };
    hooks.on_flags_changed = [this](const flags::FlagSnapshot* before,
                                    const flags::FlagSnapshot& after, const flags::DoorSet& doors,
                                    std::int64_t seq) {
        ++flag_changes_;
        flags_changed_at_ = Clock::now().time_since_epoch().count();
        if (before) {
            spdlog::info("flags: applied table change {} ({} tenants)", seq, after.tenant_count());
            report_table_change(*before, after, doors, seq);
        }
    };
    poller_ = std::make_unique<flag_table::TablePoller>(
        *table_, *doors_,
        flag_table::PollerOptions{config.flags.poll_interval, settings_.resync_interval}, hooks);
    if (auto loaded = poller_->load_now(); !loaded) {
        throw std::runtime_error("flags: refusing to start without flags: " +
                                 loaded.error().message);
    }
    writer_ = std::make_unique<flag_table::DoorWriter>(*table_, *doors_,
                                                       config.proxy.timeouts.door_journal);
    gate_ = std::make_unique<TableDoorGate>(*writer_);
}

TableStore::~TableStore() { stop(); }

void TableStore::start() { poller_->start(); }

void TableStore::stop() {
    if (poller_) poller_->stop();
}

nlohmann::json TableStore::readiness() const {
    const auto status = poller_->status();
    nlohmann::json detail{{"source", "dynamodb"},
                          {"table", settings_.table},
                          {"region", settings_.region},
                          {"endpoint", table_->client().endpoint()},
                          {"seq", status.seq},
                          {"stale", status.stale},
                          {"last_sync_seconds_ago", seconds_since(status.last_success)},
                          {"poll_interval_ms", poll_interval_.count()},
                          {"loads", status.loads},
                          {"last_load",
                           {{"entries", status.last_load.entries},
                            {"doors", status.last_load.doors},
                            {"read_units", status.last_load.read_units},
                            {"took_ms", status.last_load.took.count()}}}};
    if (status.stale) detail["last_error"] = status.last_error;
    return detail;
}

void TableStore::fill_gauges(stats::ProcessGauges& gauges) const {
    const auto status = poller_->status();
    gauges.flag_source = "dynamodb";
    gauges.flag_reloads_applied = flag_changes_;
    gauges.snapshot_age_seconds =
        seconds_since(Clock::time_point(Clock::duration(flags_changed_at_.load())));
    gauges.flag_store = stats::FlagStoreGauges{status.stale,
                                               seconds_since(status.last_success),
                                               static_cast<std::uint64_t>(status.seq),
                                               status.polls,
                                               status.failures,
                                               status.loads};
}

}  // namespace switchyard::app
