#pragma once
// Names the calling thread ("sy-worker-0", "sy-flags"), as `top -H`, `ps -L` and perf show it:
// the person looking at a busy core sees which part of switchyard is on it, and the swap bench
// reads the flag watcher's CPU time by this name.
#include <string_view>

namespace switchyard {

// Linux keeps 15 bytes of a thread's name; longer names are cut there.
void name_this_thread(std::string_view name) noexcept;

}  // namespace switchyard
