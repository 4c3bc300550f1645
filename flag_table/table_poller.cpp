#include "flag_table/table_poller.hpp"

namespace switchyard::flag_table {

using Clock = std::chrono::steady_clock;

TablePoller::TablePoller(FlagTable& table, LiveDoors& doors, PollerOptions options, Hooks hooks)
    : table_(table), doors_(doors), options_(options), hooks_(std::move(hooks)) {}

TablePoller::~TablePoller() { stop(); }

StoreResult<LoadReport> TablePoller::load_now() {
    std::lock_guard lock(poll_mutex_);
    auto loaded = reload_locked();
    record(loaded, true);
    if (!loaded) return loaded.error();
    return status().last_load;
}

void TablePoller::set_view(std::shared_ptr<const TableView> view) {
    std::lock_guard lock(view_mutex_);
    view_ = std::move(view);
}

std::shared_ptr<const TableView> TablePoller::view() const {
    std::lock_guard lock(view_mutex_);
    return view_;
}

StoreResult<std::int64_t> TablePoller::reload_locked() {
    auto loaded = table_.load();
    if (!loaded) return loaded.error();
    const auto before = view_ ? view_->flags : nullptr;
    auto view = std::make_shared<TableView>();
    view->flags = loaded->flags;
    view->versions = std::make_shared<const Versions>(std::move(loaded->versions));
    view->config_version = loaded->config_version;
    view->seq = loaded->seq;
    doors_.replace(view->flags, loaded->doors, view->seq);
    set_view(view);
    {
        std::lock_guard lock(status_mutex_);
        status_.last_load = loaded->report;
        ++status_.loads;
    }
    if (hooks_.on_loaded) hooks_.on_loaded(loaded->report, view->seq);
    if (hooks_.on_flags_changed) {
        hooks_.on_flags_changed(before.get(), *view->flags, *doors_.doors(), view->seq);
    }
    return view->seq;
}

StoreResult<std::int64_t> TablePoller::poll_locked() {
    auto changes = table_.changes_since(view_->seq);
    if (!changes) return changes.error();
    if (changes->reload) return reload_locked();
    const auto& delta = changes->delta;
    auto view = std::make_shared<TableView>(*view_);
    view->seq = delta.seq;
    if (!delta.empty()) {
        std::shared_ptr<const flags::FlagSnapshot> flags;
        if (delta.changes_flags()) flags = apply_delta(*view_->flags, delta);
        if (!delta.entries.empty()) {
            auto versions = std::make_shared<Versions>(*view_->versions);
            apply_versions(*versions, delta);
            view->versions = std::move(versions);
        }
        if (delta.config) view->config_version = delta.config_version;
        doors_.apply(flags, delta);
        if (flags) view->flags = flags;
        const auto before = view_->flags;
        set_view(view);
        if (flags && hooks_.on_flags_changed) {
            hooks_.on_flags_changed(before.get(), *flags, *doors_.doors(), delta.seq);
        }
    } else {
        set_view(view);
    }
    return delta.seq;
}

StoreResult<std::int64_t> TablePoller::sync_now() {
    std::lock_guard lock(poll_mutex_);
    auto outcome = view_ ? poll_locked() : reload_locked();
    record(outcome, false);
    return outcome;
}

void TablePoller::record(const StoreResult<std::int64_t>& outcome, bool load) {
    // The hooks log the change before status() shows it, so whoever reads stale (or no longer
    // stale) from /readyz finds the line already written. poll_mutex_ is held: stale and
    // last_success change only here, so they stay as read until the update below.
    bool was_stale = false;
    Clock::time_point last_success;
    {
        std::lock_guard lock(status_mutex_);
        was_stale = status_.stale;
        last_success = status_.last_success;
    }
    const auto now = Clock::now();
    if (outcome && was_stale && hooks_.on_recovered) {
        hooks_.on_recovered(
            std::chrono::duration_cast<std::chrono::milliseconds>(now - last_success));
    }
    if (!outcome && !was_stale && hooks_.on_stale) hooks_.on_stale(outcome.error());

    std::lock_guard lock(status_mutex_);
    if (!load) ++status_.polls;
    if (outcome) {
        status_.stale = false;
        status_.last_error.clear();
        status_.last_success = now;
        status_.seq = *outcome;
    } else {
        ++status_.failures;
        status_.stale = true;
        status_.last_error = outcome.error().message;
    }
}

PollerStatus TablePoller::status() const {
    std::lock_guard lock(status_mutex_);
    return status_;
}

void TablePoller::start() {
    if (thread_.joinable()) return;
    thread_ = std::thread([this] { run(); });
}

void TablePoller::stop() {
    {
        std::lock_guard lock(wake_mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void TablePoller::run() {
    auto next_reload = Clock::now() + options_.resync_interval;
    for (;;) {
        {
            std::unique_lock lock(wake_mutex_);
            if (wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_; })) return;
        }
        const bool reload = Clock::now() >= next_reload;
        std::lock_guard lock(poll_mutex_);
        auto outcome = reload || !view_ ? reload_locked() : poll_locked();
        record(outcome, reload);
        if (reload && outcome) next_reload = Clock::now() + options_.resync_interval;
    }
}

}  // namespace switchyard::flag_table
