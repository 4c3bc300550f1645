#pragma once
// Door closings made durable in the table before the first unsafe request of a tenant is
// forwarded to the new side (ARCHITECTURE.md invariant 3), from one writer thread that commits
// in groups, as the file journal does: concurrent first writes of one tenant wait on one write,
// and a burst of tenants shares one transaction. A door already closed (here or by another
// instance) answers at once; a write that fails or runs out of time answers with the error, and
// the request it holds must not be forwarded.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "flag_table/flag_table.hpp"
#include "flag_table/live_doors.hpp"

namespace switchyard::flag_table {

class DoorWriter {
  public:
    // nullptr once durable, else why not. Runs on the writer thread, or at once on the caller's.
    using Done = std::function<void(const Error*)>;

    // `timeout` bounds each write to the table (the proxy's own wait is door_journal_ms).
    DoorWriter(FlagTable& table, LiveDoors& doors, std::chrono::milliseconds timeout);
    ~DoorWriter();  // answers what is still queued with an error, then joins
    DoorWriter(const DoorWriter&) = delete;
    DoorWriter& operator=(const DoorWriter&) = delete;

    void close_before_forwarding(flags::DoorClosing closing, Done done);

  private:
    struct Pending {
        flags::DoorClosing closing;
        std::vector<Done> waiters;
    };
    void write_loop();

    FlagTable& table_;
    LiveDoors& doors_;
    const std::chrono::milliseconds timeout_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::unordered_map<std::string, Pending> pending_;
    std::deque<std::string> queue_;  // tenants of pending_ not yet being written, in order
    bool stopping_ = false;
    std::thread writer_;
};

}  // namespace switchyard::flag_table
