#pragma once
// A pacer's clock for tests that pace work without timing it: time stands still, so with a
// step_cpu of 0 every pause point ends a step and none sleeps.
#include "flags/reload_pacer.hpp"

namespace switchyard::flags {

class StillClock final : public ReloadPacer::Clock {
  public:
    Reading now() override { return {}; }
    ReloadPacer::Nanoseconds wall_now() override { return {}; }
    ReloadPacer::Nanoseconds thread_cpu() override { return {}; }
    void sleep_for(ReloadPacer::Nanoseconds) override {}
    unsigned cores() override { return 1; }
};

// A pacer on `clock` that ends a step at every pause point.
inline ReloadPacer pacer_of_steps(StillClock& clock) {
    return ReloadPacer(clock, {ReloadPacer::Nanoseconds{0}, 0.15});
}

}  // namespace switchyard::flags
