#pragma once
// The closed doors this instance routes by: what the table says (from the poller) plus the
// closings this instance made itself and the poller has not read back yet. One owner of the set
// and one lock, taken by the poller and the door writer alike, and each new set is published
// (with the flags, when they changed too) under it, so a publication never overtakes a newer
// one and a closing made here is never dropped by a poll that read the table just before it.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "flag_table/snapshot_delta.hpp"
#include "flags/door_set.hpp"
#include "flags/flag_snapshot.hpp"

namespace switchyard::flag_table {

class LiveDoors {
  public:
    // `flags` null: unchanged. Called under the lock: keep it short (a snapshot store update).
    using Publish = std::function<void(std::shared_ptr<const flags::FlagSnapshot> flags,
                                       std::shared_ptr<const flags::DoorSet> doors)>;

    explicit LiveDoors(Publish publish);

    std::shared_ptr<const flags::DoorSet> doors() const;
    bool closed(std::string_view tenant) const;

    // A full load at `seq`: the table's doors, and this instance's closings made after it.
    void replace(std::shared_ptr<const flags::FlagSnapshot> flags,
                 const std::vector<flags::DoorClosing>& doors, std::int64_t seq);
    // A delta read up to delta.seq; `flags` null when the delta did not change them.
    void apply(std::shared_ptr<const flags::FlagSnapshot> flags, const Delta& delta);
    // Closings durable in the table at `seq` or before (made here, or found there).
    void add(const std::vector<flags::DoorClosing>& closings, std::int64_t seq);

  private:
    void forget_seen(std::int64_t seq);  // mutex_ held

    const Publish publish_;
    mutable std::mutex mutex_;
    std::shared_ptr<const flags::DoorSet> doors_;
    // This instance's closings, by tenant, with their seq, until a poll reads past it.
    std::unordered_map<std::string, std::pair<std::int64_t, flags::DoorClosing>> recent_;
};

}  // namespace switchyard::flag_table
