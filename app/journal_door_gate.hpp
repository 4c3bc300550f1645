#pragma once
// The proxy's DoorGate, backed by the door journal in state_dir.
#include "flags/door_journal.hpp"
#include "routing/door_gate.hpp"

namespace switchyard::app {

class JournalDoorGate final : public routing::DoorGate {
public:
    explicit JournalDoorGate(flags::DoorJournal& journal) : journal_(journal) {}

    void close_before_forwarding(const routing::DoorClosingRequest& request, Done done) override {
        journal_.close_before_forwarding(
            flags::DoorClosing{std::string(request.tenant), flags::unix_now_ms(),
                               std::string(request.request_id), {}, std::string(request.method),
                               std::string(request.path)},
            std::move(done));
    }

private:
    flags::DoorJournal& journal_;
};

}  // namespace switchyard::app
