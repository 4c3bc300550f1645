#pragma once
// The proxy's DoorGate, backed by the flag table: the closing is a conditional put in the table,
// durable before the request is forwarded, and every instance learns it from the change log.
#include "flag_table/door_writer.hpp"
#include "flags/door_journal.hpp"
#include "routing/door_gate.hpp"

namespace switchyard::app {

class TableDoorGate final : public routing::DoorGate {
  public:
    explicit TableDoorGate(flag_table::DoorWriter& writer) : writer_(writer) {}

    void close_before_forwarding(const routing::DoorClosingRequest& request, Done done) override {
        writer_.close_before_forwarding(flags::DoorClosing{std::string(request.tenant),
                                                           flags::unix_now_ms(),
                                                           std::string(request.request_id),
                                                           {},
                                                           std::string(request.method),
                                                           std::string(request.path)},
                                        std::move(done));
    }

  private:
    flag_table::DoorWriter& writer_;
};

}  // namespace switchyard::app
