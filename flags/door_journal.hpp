#pragma once
// The durable record of closed one-way doors (ARCHITECTURE.md invariant 3): an append-only
// JSON-lines file in state_dir, fsynced before the first unsafe request of a tenant is forwarded
// to the new side. One writer thread commits in groups: concurrent first writes of one tenant
// wait on one append, and a burst of tenants shares one fsync. Forced moves are journaled too.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "common/stage.hpp"
#include "flags/door_set.hpp"

namespace switchyard::flags {

class DoorJournal {
  public:
    // Called with nullptr once the closing is durable, or with the error that kept it from
    // being so (the request must then not be forwarded). Runs on the writer thread.
    using Done = std::function<void(const Error*)>;
    using DoorsChanged = std::function<void(std::shared_ptr<const DoorSet>)>;

    // Reads the journal (creating it if absent). A torn last line is reported in warnings()
    // and cut off; every closing before it is kept. Damage before the last line refuses to
    // open: a door must never silently reopen.
    static Result<std::unique_ptr<DoorJournal>> open(std::filesystem::path file,
                                                     std::string instance,
                                                     DoorsChanged on_doors_changed);
    ~DoorJournal();
    DoorJournal(const DoorJournal&) = delete;
    DoorJournal& operator=(const DoorJournal&) = delete;

    const std::vector<std::string>& warnings() const noexcept { return warnings_; }
    std::shared_ptr<const DoorSet> doors() const;
    const std::string& instance() const noexcept { return instance_; }

    // `done` runs at once (on the caller's thread) when the door is already closed.
    void close_before_forwarding(DoorClosing closing, Done done);
    // Synchronous append + fsync, for the rare forced change. The forced tenant's door reopens
    // (its next unsafe request to new closes it again), and the new door set is published.
    Result<bool> record_forced_move(const ForcedMove& move);

  private:
    DoorJournal(std::filesystem::path file, std::string instance, int fd,
                std::shared_ptr<const DoorSet> doors, DoorsChanged on_doors_changed);
    void write_loop();
    Result<bool> append_durably(const std::string& lines);  // append_mutex_ held

    struct Pending {
        DoorClosing closing;
        std::vector<Done> waiters;
    };

    const std::filesystem::path file_;
    const std::string instance_;
    const int fd_;
    const DoorsChanged on_doors_changed_;
    std::vector<std::string> warnings_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::shared_ptr<const DoorSet> doors_;
    std::unordered_map<std::string, Pending> pending_;
    std::deque<std::string> queue_;  // tenants of pending_, in arrival order
    bool stopping_ = false;
    // The writer thread and forced moves share the file; held from an append until its door
    // set is published, taken before mutex_.
    std::mutex append_mutex_;
    std::thread writer_;
};

std::int64_t unix_now_ms();

}  // namespace switchyard::flags
