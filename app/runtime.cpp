#include "app/runtime.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <stdexcept>

#include "admin/admin_server.hpp"
#include "admin/audit_log.hpp"
#include "admin/file_flag_store.hpp"
#include "admin/flag_editor.hpp"
#include "admin/tokens.hpp"
#include "app/flag_changes.hpp"
#include "app/journal_door_gate.hpp"
#include "app/ready_file.hpp"
#include "app/table_flag_store.hpp"
#include "app/table_store.hpp"
#include "flags/door_journal.hpp"
#include "flags/file_source.hpp"
#include "flags/latest_document.hpp"
#include "proxy/access_log.hpp"
#include "proxy/server.hpp"
#include "routing/recent_writes.hpp"
#include "routing/routing_config.hpp"
#include "routing/seen_tenants.hpp"
#include "routing/snapshot_store.hpp"
#include "stats/prometheus.hpp"
#include "stats/stats_json.hpp"
#include "stats/stats_registry.hpp"

namespace switchyard::app {

struct Runtime::Parts {
    config::Config config;
    routing::SnapshotStore snapshots;
    // Declared before every publisher (the journal, the watcher, the table, admin changes), so
    // that it outlives them: the snapshots' on_publish hook calls it (stopped, it does nothing).
    std::unique_ptr<proxy::Server> server;
    std::unique_ptr<flags::DoorJournal> doors;
    std::unique_ptr<JournalDoorGate> door_gate;
    routing::RecentWrites recent_writes;
    std::unique_ptr<routing::SeenTenants> seen_tenants;
    std::unique_ptr<flags::FileSource> flag_file;
    std::unique_ptr<TableStore> table_store;  // instead of the file and journal: flags.dynamodb
    std::string last_flag_refusal;            // written by the watcher thread, read at start only
    // Flags the watcher replaced that a request still held after kReleasePatience (a long
    // upload): the watcher lets go of them at its next poll once that request has, so that it
    // frees them, paced, and not a request thread (a million tenants: milliseconds).
    std::shared_ptr<const void> replaced_flags_held;  // the watcher's thread only
    std::mutex flag_write_mutex;  // the watcher and admin changes apply the file one at a time
    // For /metrics; written by the watcher thread.
    std::atomic<std::uint64_t> reloads_applied{0}, reloads_refused{0}, reloads_invalid{0},
        reloads_unchanged{0};
    std::atomic<std::chrono::steady_clock::rep> flags_loaded_at{0};
    std::unique_ptr<stats::StatsRegistry> stats;
    std::unique_ptr<proxy::AccessLog> access_log;
    std::unique_ptr<admin::TokenFile> tokens;
    std::unique_ptr<admin::AuditLog> audit;
    std::unique_ptr<admin::FlagStore> flag_store;  // the file's, or the table's
    std::unique_ptr<admin::FlagEditor> editor;
    std::unique_ptr<admin::AdminServer> admin;
};

namespace {

void configure_logging(const std::string& level) {
    // Operational logs go to stderr; the access log has its own sink.
    auto logger = spdlog::stderr_color_mt("switchyard");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(level));
}

std::string host_name() {
    char name[256] = {};
    return ::gethostname(name, sizeof name - 1) == 0 ? std::string(name)
                                                     : std::string("switchyard");
}

// How long the watcher waits for request threads to let go of the flags it replaced, so that it,
// not a request, frees them (routing/snapshot_store.hpp): requests in flight end in milliseconds.
constexpr std::chrono::milliseconds kReleasePatience{500};

std::shared_ptr<const routing::RoutingConfig> load_routing(const config::Config& config,
                                                           const std::string& file) {
    auto routing = routing::parse_routing_config(config.document);
    if (!routing) throw std::runtime_error(file + ": " + routing.error().message);
    return routing.value();
}

}  // namespace

Runtime::Runtime(RuntimeOptions options) : options_(std::move(options)), parts_(new Parts) {}

Runtime::~Runtime() {
    if (parts_->admin) parts_->admin->stop();
    if (parts_->server) parts_->server->stop();
    if (parts_->flag_file) parts_->flag_file->stop();
    if (parts_->table_store) parts_->table_store->stop();
}

void Runtime::start() {
    auto& p = *parts_;
    auto loaded = config::load_config(options_.config_file);
    if (!loaded) throw std::runtime_error(loaded.error().message);
    p.config = std::move(loaded.value());
    configure_logging(p.config.log_level);
    const auto routing = load_routing(p.config, options_.config_file.string());
    p.snapshots.update_routing(routing);

    const auto instance = p.config.instance.empty() ? host_name() : p.config.instance;
    routing::DoorGate* door_gate = nullptr;
    if (p.config.flags.dynamodb) {
        // The table holds flags, doors and audit: nothing of the file store is opened.
        p.table_store = std::make_unique<TableStore>(p.config, instance, p.snapshots);
        door_gate = &p.table_store->door_gate();
    } else {
        load_file_flags(instance);
        door_gate = p.door_gate.get();
    }

    p.stats = std::make_unique<stats::StatsRegistry>(std::max(1u, p.config.proxy.threads),
                                                     std::chrono::steady_clock::now());
    p.access_log =
        std::make_unique<proxy::AccessLog>(p.config.access_log.enabled, p.config.access_log.path);
    p.seen_tenants = std::make_unique<routing::SeenTenants>(std::max(1u, p.config.proxy.threads));
    p.server = std::make_unique<proxy::Server>(
        p.config.proxy, p.snapshots, *p.access_log,
        proxy::EngineHooks{door_gate, &p.recent_writes, p.stats.get(), p.seen_tenants.get()});
    // Idle request threads let go of replaced flags at once, not at their next request: the
    // watcher then frees a million tenants' table itself, paced (release_when_unshared()).
    p.snapshots.on_publish([&server = *p.server] { server.refresh_snapshots(); });
    p.server->start();
    if (p.flag_file) p.flag_file->start();
    if (p.table_store) p.table_store->start();
    start_admin();

    const auto addresses = p.server->bound_addresses();
    for (const auto& address : addresses) spdlog::info("listening on {}", address);
    const auto admin_address = p.admin ? p.admin->bound_address() : std::string{};
    if (!admin_address.empty()) spdlog::info("admin API on {}", admin_address);
    if (!options_.ready_file.empty()) {
        write_ready_file(options_.ready_file, addresses, admin_address);
    }
}

// The file store: the door journal and audit log in state_dir, the flag file hot-reloaded.
void Runtime::load_file_flags(const std::string& instance) {
    auto& p = *parts_;
    std::error_code ec;
    std::filesystem::create_directories(p.config.state_dir, ec);
    if (ec) {
        throw std::runtime_error("state_dir " + p.config.state_dir.string() + ": " + ec.message());
    }

    // Doors first: the flag document is checked against them before it may route anything.
    const auto journal_file = p.config.state_dir / "doors.jsonl";
    auto journal = flags::DoorJournal::open(journal_file, instance,
                                            [this](std::shared_ptr<const flags::DoorSet> doors) {
                                                parts_->snapshots.update_doors(std::move(doors));
                                            });
    if (!journal) throw std::runtime_error(journal.error().message);
    p.doors = std::move(journal.value());
    for (const auto& warning : p.doors->warnings()) spdlog::warn("doors: {}", warning);
    p.snapshots.update_doors(p.doors->doors());
    spdlog::info("doors: {} closed ({})", p.doors->doors()->size(), journal_file.string());
    p.door_gate = std::make_unique<JournalDoorGate>(*p.doors);

    const auto flag_path = p.config.flags.file;
    p.flag_file = std::make_unique<flags::FileSource>(
        flag_path, p.config.flags.poll_interval,
        [this](std::shared_ptr<const flags::FlagSnapshot> flags,
               const flags::FileIdentity& read_from) {
            auto& parts = *parts_;
            parts.replaced_flags_held.reset();  // held past the last patience, let go of by now
            // After the lock: admin changes need not wait while request threads let go of it.
            parts.replaced_flags_held = routing::release_when_unshared(
                parts.snapshots, apply_flag_file(std::move(flags), read_from), kReleasePatience);
        },
        [this](const Error& error) {
            ++parts_->reloads_invalid;
            spdlog::error("flags: {}; keeping the last good flags", error.message);
        });
    p.flag_file->on_idle([this] {
        // Once the request thread that still held them has let go: freed here, paced, not kept
        // (tens of megabytes for a million tenants) until the next reload.
        auto& parts = *parts_;
        parts.replaced_flags_held = routing::release_when_unshared(
            parts.snapshots, std::move(parts.replaced_flags_held), std::chrono::milliseconds{0});
    });
    auto flags = p.flag_file->load_now();
    if (!flags) throw std::runtime_error(flags.error().message);
    if (!p.snapshots.current()->flags) {
        throw std::runtime_error(
            flag_path.string() +
            ": refusing to start, the flag document breaks the one-way door: " +
            p.last_flag_refusal);
    }
}

// The watcher's document, applied under the one-way door's rule; returns the flags it replaced
// (null when nothing changed), for the caller to let go of off the request threads.
std::shared_ptr<const flags::FlagSnapshot> Runtime::apply_flag_file(
    std::shared_ptr<const flags::FlagSnapshot> flags, const flags::FileIdentity& read_from) {
    auto& parts = *parts_;
    const auto& flag_path = parts.config.flags.file;
    std::lock_guard lock(parts.flag_write_mutex);
    // An admin change may have replaced the file since the watcher read it: apply what the file
    // holds now, never an older version over a newer one.
    auto latest = flags::latest_document(flag_path, std::move(flags), read_from);
    if (!latest) return nullptr;  // gone or bad since: the watcher reports it when it reads it
    flags = std::move(latest.value());
    auto before = parts.snapshots.current()->flags;
    if (before && before->content_hash() == flags->content_hash()) {
        // An admin change wrote these bytes and published them already.
        ++parts.reloads_unchanged;
        parts.flags_loaded_at = std::chrono::steady_clock::now().time_since_epoch().count();
        return nullptr;
    }
    const auto tenants = flags->tenant_count();
    auto refusal = apply_flag_change(before.get(), std::move(flags), *parts.doors, parts.snapshots);
    if (refusal.empty()) {
        spdlog::info("flags: loaded {} ({} tenants)", flag_path.string(), tenants);
        ++parts.reloads_applied;
        parts.flags_loaded_at = std::chrono::steady_clock::now().time_since_epoch().count();
    } else if (!before) {
        // At start there are no last good flags to keep: start() refuses to start.
        ++parts.reloads_refused;
    } else {
        ++parts.reloads_refused;
        spdlog::error("flags: {}: change refused, keeping the last good flags: {}",
                      flag_path.string(), refusal);
    }
    const bool applied = refusal.empty();
    parts.last_flag_refusal = std::move(refusal);
    return applied ? before : nullptr;
}

void Runtime::start_admin() {
    auto& p = *parts_;
    const auto& settings = p.config.admin;
    if (!settings.enabled) {
        spdlog::info("no \"admin\" section: the admin API is off");
        return;
    }
    admin::AdminServices services;
    if (settings.tokens_file.empty()) {
        spdlog::warn("admin: no tokens_file: every /v1 call will be refused (401)");
    } else {
        p.tokens = std::make_unique<admin::TokenFile>(settings.tokens_file);
        if (auto loaded = p.tokens->load(); !loaded)
            throw std::runtime_error(loaded.error().message);
        services.authenticate = [tokens = p.tokens.get()](std::string_view authorization) {
            return tokens->authenticate(authorization);
        };
    }
    if (p.table_store) {
        auto& table = *p.table_store;
        p.flag_store =
            std::make_unique<TableFlagStore>(table.table(), table.poller(), table.live_doors());
    } else {
        p.audit = std::make_unique<admin::AuditLog>(p.config.state_dir / "audit.jsonl");
        p.flag_store =
            std::make_unique<admin::FileFlagStore>(p.config.flags.file, *p.doors, *p.audit);
    }
    p.editor = std::make_unique<admin::FlagEditor>(*p.flag_store, p.snapshots, p.flag_write_mutex,
                                                   p.seen_tenants.get());
    services.editor = p.editor.get();
    services.snapshots = &p.snapshots;
    services.stats_json = [stats = p.stats.get()] {
        return stats::to_json(stats->snapshot(std::chrono::steady_clock::now()));
    };
    services.metrics_text = [this] { return metrics_text(); };
    services.readiness = [this] {
        const auto snapshot = parts_->snapshots.current();
        nlohmann::json flags;
        if (parts_->table_store) {
            flags = parts_->table_store->readiness();
        } else {
            flags = {{"source", "file"}, {"file", parts_->config.flags.file.string()}};
        }
        flags["tenants"] = snapshot->flags ? snapshot->flags->tenant_count() : 0;
        return nlohmann::json{{"ready", snapshot->complete() && parts_->server != nullptr},
                              {"flags", std::move(flags)},
                              {"doors_closed", snapshot->doors ? snapshot->doors->size() : 0},
                              {"generation", snapshot->generation}};
    };
    p.admin = std::make_unique<admin::AdminServer>(settings.address, std::move(services),
                                                   settings.max_body_bytes);
    p.admin->start();
}

std::string Runtime::metrics_text() const {
    const auto& p = *parts_;
    const auto now = std::chrono::steady_clock::now();
    const auto snapshot = p.snapshots.current();
    stats::ProcessGauges gauges;
    gauges.version = SWITCHYARD_VERSION;
    if (snapshot->routing) {
        for (const auto& route : snapshot->routing->routes) {
            gauges.route_labels.push_back(route.host + route.prefix);
        }
    }
    if (snapshot->flags) {
        snapshot->flags->tenants().for_each([&](const flags::TenantFlag& flag) {
            ++gauges.tenants_pinned_by_stage[static_cast<std::size_t>(flag.stage)];
        });
    }
    gauges.doors_closed = snapshot->doors ? snapshot->doors->size() : 0;
    gauges.snapshot_generation = snapshot->generation;
    const auto loaded = std::chrono::steady_clock::time_point(
        std::chrono::steady_clock::duration(p.flags_loaded_at.load()));
    gauges.snapshot_age_seconds = std::chrono::duration<double>(now - loaded).count();
    gauges.flag_reloads_applied = p.reloads_applied;
    gauges.flag_reloads_refused = p.reloads_refused;
    gauges.flag_reloads_invalid = p.reloads_invalid;
    gauges.flag_reloads_unchanged = p.reloads_unchanged;
    if (p.table_store) p.table_store->fill_gauges(gauges);
    if (p.access_log && p.access_log->enabled()) {
        gauges.access_log_lines_dropped = p.access_log->lines_dropped();
    }
    return stats::to_prometheus(p.stats->snapshot(now), gauges);
}

void Runtime::reload_config() {
    auto loaded = config::load_config(options_.config_file);
    if (!loaded) {
        spdlog::error("reload refused, keeping the running config: {}", loaded.error().message);
        return;
    }
    auto routing = routing::parse_routing_config(loaded->document);
    if (!routing) {
        spdlog::error("reload refused, keeping the running config: {}: {}",
                      options_.config_file.string(), routing.error().message);
        return;
    }
    parts_->snapshots.update_routing(routing.value());
    spdlog::info(
        "config reloaded: routes and tenant keys applied; listeners, backends, threads, "
        "timeouts and limits take effect at the next restart");
}

bool Runtime::drain() {
    auto& p = *parts_;
    p.server->begin_drain();
    const bool clean = p.server->wait_drained(p.config.proxy.timeouts.drain);
    p.server->stop();
    if (p.admin) p.admin->stop();
    if (p.flag_file) p.flag_file->stop();
    if (p.table_store) p.table_store->stop();
    if (p.access_log) p.access_log->flush();
    return clean;
}

}  // namespace switchyard::app
