#pragma once
// The DynamoDB flag store in the running proxy (flags.dynamodb in the config): the table, the
// poller that keeps this instance's snapshot as the table says, the door writer behind the
// proxy's DoorGate, and what /readyz, /metrics and the log say about them.
#include <atomic>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/table_door_gate.hpp"
#include "config/config.hpp"
#include "flag_table/door_writer.hpp"
#include "flag_table/flag_table.hpp"
#include "flag_table/live_doors.hpp"
#include "flag_table/table_poller.hpp"
#include "routing/snapshot_store.hpp"
#include "stats/prometheus.hpp"

namespace switchyard::app {

class TableStore {
  public:
    // Opens the table and loads it; throws std::runtime_error with the reason (the proxy does
    // not start without flags).
    TableStore(const config::Config& config, std::string instance,
               routing::SnapshotStore& snapshots);
    ~TableStore();
    TableStore(const TableStore&) = delete;
    TableStore& operator=(const TableStore&) = delete;

    void start();  // polls from now on
    void stop();

    routing::DoorGate& door_gate() { return *gate_; }
    flag_table::FlagTable& table() { return *table_; }
    flag_table::TablePoller& poller() { return *poller_; }
    flag_table::LiveDoors& live_doors() { return *doors_; }

    nlohmann::json readiness() const;  // the "flags" detail of /readyz
    void fill_gauges(stats::ProcessGauges& gauges) const;

  private:
    const config::DynamoFlagSettings settings_;
    const std::chrono::milliseconds poll_interval_;
    std::unique_ptr<flag_table::FlagTable> table_;
    std::unique_ptr<flag_table::LiveDoors> doors_;
    std::unique_ptr<flag_table::TablePoller> poller_;
    std::unique_ptr<flag_table::DoorWriter> writer_;
    std::unique_ptr<TableDoorGate> gate_;
    std::atomic<std::uint64_t> flag_changes_{0};
    std::atomic<std::chrono::steady_clock::rep> flags_changed_at_{0};
};

}  // namespace switchyard::app
