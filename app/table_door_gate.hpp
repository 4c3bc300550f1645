#pragma once
// The proxy's DoorGate, backed by the flag table: the closing is a conditional put in the table,
// durable before the request is forwarded, and every instance learns it from the change log.
#include "app/door_gate_over.hpp"
#include "flag_table/door_writer.hpp"

namespace switchyard::app {

using TableDoorGate = DoorGateOver<flag_table::DoorWriter>;

}  // namespace switchyard::app
