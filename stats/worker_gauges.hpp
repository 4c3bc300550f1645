#pragma once
// One worker thread's connection gauges and connect errors, beside its WorkerStats: written by
// that thread alone (a load and a store, no lock prefix, as in WorkerStats), read by any thread
// at scrape time. Nothing shared is written on the request path.
#include <array>
#include <atomic>
#include <cstdint>

#include "stats/stats_report.hpp"

namespace switchyard::stats {

class alignas(64) WorkerGauges {  // its own cache lines: no false sharing between workers
  public:
    // The owning thread only.
    void request_started() noexcept { add(in_flight_, 1); }
    void request_finished() noexcept { add(in_flight_, -1); }
    void upstream_opened(Side side) noexcept { add(upstream_open_[index_of(side)], 1); }
    void upstream_closed(Side side) noexcept { add(upstream_open_[index_of(side)], -1); }
    void set_upstream_idle(Side side, std::int64_t idle) noexcept {
        upstream_idle_[index_of(side)].store(idle, std::memory_order_relaxed);
    }
    void connect_failed(Side side, ConnectError error) noexcept {
        auto& cell = connect_errors_[index_of(side)][static_cast<std::size_t>(error)];
        cell.store(cell.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }

    // Any thread.
    void add_to(ConnectionCounts& into) const noexcept {
        for (std::size_t side = 0; side < kSides; ++side) {
            into.upstream_open[side] += upstream_open_[side].load(std::memory_order_relaxed);
            into.upstream_idle[side] += upstream_idle_[side].load(std::memory_order_relaxed);
            for (std::size_t e = 0; e < kConnectErrors; ++e) {
                into.connect_errors[side][e] +=
                    connect_errors_[side][e].load(std::memory_order_relaxed);
            }
        }
        into.in_flight += in_flight_.load(std::memory_order_relaxed);
    }

  private:
    static void add(std::atomic<std::int64_t>& cell, std::int64_t delta) noexcept {
        cell.store(cell.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
    }

    std::atomic<std::int64_t> in_flight_{0};
    std::array<std::atomic<std::int64_t>, kSides> upstream_open_{};
    std::array<std::atomic<std::int64_t>, kSides> upstream_idle_{};
    std::array<std::array<std::atomic<std::uint64_t>, kConnectErrors>, kSides> connect_errors_{};
};

}  // namespace switchyard::stats
