#pragma once
// Serves until SIGINT or SIGTERM: a coroutine per connection, keep-alive, bodies discarded.
#include "backend_options.hpp"

namespace switchyard::demo {

// Prints "listening on HOST:PORT" once bound; returns the process exit code.
int run_backend(const BackendOptions& options);

}  // namespace switchyard::demo
