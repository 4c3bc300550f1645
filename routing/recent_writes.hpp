#pragma once
// Read-your-writes for the `reads` stage: after a tenant's unsafe request (served by legacy),
// its safe requests stay on legacy for a window (the replication lag), so nobody reads an
// older state on new than the one they just wrote.
//
// Per instance, fixed memory, lock-free: a table of last-write times indexed by a hash of the
// tenant. Two tenants sharing a slot only means one of them reads from legacy a little longer,
// which is always correct in `reads` (legacy owns the writes). Instances behind one load
// balancer do not share the table.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace switchyard::routing {

class RecentWrites {
  public:
    explicit RecentWrites(std::size_t slots = 1u << 16);  // rounded up to a power of two

    void record_write(std::string_view tenant, std::int64_t now_ms) noexcept;
    bool wrote_within(std::string_view tenant, std::int64_t now_ms,
                      std::int64_t window_ms) const noexcept;
    std::size_t memory_bytes() const noexcept { return (mask_ + 1) * sizeof(std::int64_t); }

  private:
    std::size_t slot_of(std::string_view tenant) const noexcept;

    std::size_t mask_;
    std::unique_ptr<std::atomic<std::int64_t>[]> last_write_ms_;
};

}  // namespace switchyard::routing
