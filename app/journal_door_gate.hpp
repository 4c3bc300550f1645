#pragma once
// The proxy's DoorGate, backed by the door journal in state_dir.
#include "app/door_gate_over.hpp"
#include "flags/door_journal.hpp"

namespace switchyard::app {

using JournalDoorGate = DoorGateOver<flags::DoorJournal>;

}  // namespace switchyard::app
