#pragma once
// Signals are taken synchronously by the main thread (sigwait), never by a handler: the
// workers block them, so a SIGTERM cannot interrupt a request in the middle.
#include <csignal>

namespace switchyard::app {

enum class SignalAction { drain, reload };

// Call before starting any thread: they inherit the mask.
void block_control_signals();
SignalAction wait_for_control_signal();

}  // namespace switchyard::app
