#include "app/signals.hpp"

#include <pthread.h>

namespace switchyard::app {

namespace {
sigset_t control_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    return set;
}
}  // namespace

void block_control_signals() {
    const auto set = control_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);  // a peer closing mid-write is an error code, not a death
}

SignalAction wait_for_control_signal() {
    const auto set = control_signals();
    for (;;) {
        int signal = 0;
        if (sigwait(&set, &signal) != 0) continue;
        if (signal == SIGHUP) return SignalAction::reload;
        return SignalAction::drain;
    }
}

}  // namespace switchyard::app
