#pragma once
// The proxy's DoorGate over whatever makes a door closing durable: the door journal in
// state_dir (file store) or the flag table's door writer (DynamoDB store). Both take the same
// DoorClosing; the instance name is filled in by the writer.
#include <utility>

#include "flags/door_journal.hpp"  // unix_now_ms
#include "flags/door_set.hpp"
#include "routing/door_gate.hpp"

namespace switchyard::app {

template <typename Writer>
class DoorGateOver final : public routing::DoorGate {
public:
    explicit DoorGateOver(Writer& writer) : writer_(writer) {}

    void close_before_forwarding(const routing::DoorClosingRequest& request, Done done) override {
        writer_.close_before_forwarding(
            flags::DoorClosing{std::string(request.tenant), flags::unix_now_ms(),
                               std::string(request.request_id), {}, std::string(request.method),
                               std::string(request.path)},
            std::move(done));
    }

private:
    Writer& writer_;
};

}  // namespace switchyard::app
