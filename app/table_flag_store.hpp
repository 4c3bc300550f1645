#pragma once
// The admin API's store on the DynamoDB table (admin/flag_store.hpp): a change reads the table
// as this instance's poller has it after a poll made just then, and commits one conditional
// transaction (flag_table/change_set.hpp) checked against exactly what it read: the entries'
// and the config's content and versions, and the doors the door rule relied on. A lost race is
// "changed since read" (FlagEditor redoes the change, or answers 412 to an If-Match); a table
// that does not answer is 503, nothing written. The audit is in the table, beside the change.
//
// Versions are "<n>-<hash>", n the version of the entry's (or config's) item in the table, the
// same on every instance, and counting on through an unpin (the item stays as a tombstone).
#include <memory>
#include <string>

#include "admin/flag_store.hpp"
#include "flag_table/flag_table.hpp"
#include "flag_table/live_doors.hpp"
#include "flag_table/table_poller.hpp"

namespace switchyard::app {

class TableFlagStore final : public admin::FlagStore {
  public:
    TableFlagStore(flag_table::FlagTable& table, flag_table::TablePoller& poller,
                   flag_table::LiveDoors& doors);

    Result<flags::EditableDocument, admin::ReadFailure> read() override;
    admin::CommitResult commit(const admin::PendingChange& change) override;
    std::string tenant_version(std::string_view tenant,
                               const flags::EditableEntry* entry) const override;
    std::string rollout_version(const flags::EditableRollout& rollout) const override;
    Result<std::vector<nlohmann::json>> recent_audit(std::size_t limit,
                                                     std::string_view tenant) const override;
    std::string describe() const override;

  private:
    // What read() saw while a change is being made; else what the poller has now.
    std::shared_ptr<const flag_table::TableView> view() const;

    flag_table::FlagTable& table_;
    flag_table::TablePoller& poller_;
    flag_table::LiveDoors& doors_;
    std::shared_ptr<const flag_table::TableView> last_read_;
};

}  // namespace switchyard::app
