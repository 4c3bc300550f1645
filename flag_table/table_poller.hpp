#pragma once
// Keeps this instance's flags and doors as the table says, from a background thread: a full
// load at start, then every poll interval one marker read (1 read unit) and, when something
// changed, the log and the items it names; a full load again on a slow period (and whenever the
// log cannot tell what changed). When the table does not answer, the last good state keeps
// serving and the poller reports itself stale (once, not at every poll) until a poll succeeds.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "flag_table/flag_table.hpp"
#include "flag_table/live_doors.hpp"

namespace switchyard::flag_table {

struct PollerOptions {
    std::chrono::milliseconds poll_interval{1000};
    std::chrono::milliseconds resync_interval{std::chrono::hours(1)};
};

// What this instance knows of the table after its last poll, as one immutable value: the flags
// it routes by, with the versions of their items and the seq they are at.
struct TableView {
    std::shared_ptr<const flags::FlagSnapshot> flags;
    std::shared_ptr<const Versions> versions;
    std::int64_t config_version = 0;
    std::int64_t seq = 0;
};

struct PollerStatus {
    std::int64_t seq = 0;
    bool stale = false;                                    // the last poll failed
    std::chrono::steady_clock::time_point last_success{};  // of a poll or load
    std::string last_error;                                // while stale
    std::uint64_t polls = 0;
    std::uint64_t failures = 0;
    std::uint64_t loads = 0;  // full loads, the one at start included
    LoadReport last_load;
};

class TablePoller {
  public:
    struct Hooks {
        // Once when polls start failing, once when one succeeds again (with how long it was);
        // each before status() says so.
        std::function<void(const StoreError&)> on_stale;
        std::function<void(std::chrono::milliseconds stale_for)> on_recovered;
        std::function<void(const LoadReport&, std::int64_t seq)> on_loaded;
        // After new flags were published; `before` null at the first load.
        std::function<void(const flags::FlagSnapshot* before, const flags::FlagSnapshot& after,
                           const flags::DoorSet& doors, std::int64_t seq)>
            on_flags_changed;
    };

    TablePoller(FlagTable& table, LiveDoors& doors, PollerOptions options, Hooks hooks);
    ~TablePoller();  // stops
    TablePoller(const TablePoller&) = delete;
    TablePoller& operator=(const TablePoller&) = delete;

    // The first load, on the caller's thread; publishes through LiveDoors.
    StoreResult<LoadReport> load_now();
    void start();
    void stop();

    // Reads the table now (as a poll does) and returns the seq this instance then routes by:
    // after a commit, so the change routes here before it is answered.
    StoreResult<std::int64_t> sync_now();

    PollerStatus status() const;
    // Null until the first load.
    std::shared_ptr<const TableView> view() const;

  private:
    StoreResult<std::int64_t> poll_locked();                           // poll_mutex_ held
    StoreResult<std::int64_t> reload_locked();                         // poll_mutex_ held
    void record(const StoreResult<std::int64_t>& outcome, bool load);  // poll_mutex_ held
    void run();

    FlagTable& table_;
    LiveDoors& doors_;
    const PollerOptions options_;
    const Hooks hooks_;

    void set_view(std::shared_ptr<const TableView> view);  // poll_mutex_ held

    std::mutex poll_mutex_;          // one poll or load at a time, whoever asks
    mutable std::mutex view_mutex_;  // view_ is read from other threads
    std::shared_ptr<const TableView> view_;

    mutable std::mutex status_mutex_;
    PollerStatus status_;

    std::mutex wake_mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace switchyard::flag_table
