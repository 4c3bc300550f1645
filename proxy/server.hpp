#pragma once
// The engine as the application sees it: N workers, each a thread with its own listeners and
// pools. Boost-free on purpose: app/ and tests include this without compiling Beast.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "proxy/settings.hpp"

namespace switchyard::routing {
class SnapshotStore;
class DoorGate;
class RecentWrites;
class SeenTenants;
}  // namespace switchyard::routing

namespace switchyard::stats {
class StatsRegistry;
}

namespace switchyard::proxy {

class AccessLog;

// State the engine consults or feeds per request; owned by the app, outliving the Server.
struct EngineHooks {
    routing::DoorGate* door_gate = nullptr;          // null: no door is ever closed
    routing::RecentWrites* recent_writes = nullptr;  // null: no read-your-writes window
    stats::StatsRegistry* stats = nullptr;           // null: no statistics; else one per thread
    routing::SeenTenants* seen_tenants = nullptr;    // null: tenants are not remembered
};

class Server {
  public:
    Server(ProxySettings settings, routing::SnapshotStore& snapshots, AccessLog& access_log,
           EngineHooks hooks = {});
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Resolves backends and binds every listener; throws std::runtime_error with the reason.
    void start();
    // "127.0.0.1:8080", "[::1]:8080": what start() bound (port 0 resolved).
    std::vector<std::string> bound_addresses() const;

    // Has every worker look at the routing snapshot now: each caches the last one it saw
    // (routing/snapshot_store.hpp), and a worker without requests would hold a replaced one,
    // tens of megabytes for a million tenants, until its next request. Any thread.
    void refresh_snapshots();

    // Stop accepting, close idle connections, let in-flight requests finish.
    void begin_drain();
    // True when every session ended before the deadline.
    bool wait_drained(std::chrono::milliseconds deadline);
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::proxy
