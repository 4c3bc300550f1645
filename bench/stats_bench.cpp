// The statistics' cost on the request path (WorkerStats::record) and on the admin thread
// (StatsRegistry::snapshot over 2 workers with a full minute, to_json).
//   build-stats/bench/bench_stats --benchmark_min_time=0.3 --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <array>
#include <atomic>
#include <chrono>
#include <random>
#include <span>
#include <thread>

#include "stats/stats_json.hpp"
#include "stats/stats_registry.hpp"

namespace switchyard::stats {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const Clock::time_point kStart = Clock::time_point{} + 1000h;
constexpr std::size_t kSamples = 1024;  // cycled: varied sides, stages, statuses, buckets

std::array<RequestSample, kSamples> samples() {
    std::array<RequestSample, kSamples> all;
    std::mt19937_64 random{1};
    std::lognormal_distribution<double> latency{7.5, 1.2};  // ~2 ms median, long tail
    for (std::size_t i = 0; i < kSamples; ++i) {
        const auto upstream = static_cast<std::int64_t>(latency(random));
        all[i] = {.side = i % 2 ? Side::new_ : Side::legacy,
                  .stage = static_cast<Stage>(i % 5),
                  .tenant_route = i % 10 != 0,
                  .status = i % 50 ? 200u : 503u,
                  .upstream_error = i % 200 == 0,
                  .upstream_latency = std::chrono::microseconds{upstream},
                  .total_latency = std::chrono::microseconds{upstream + 40}};
    }
    return all;
}

// Records `cycle` over and over, the clock advancing by `tick` every `calls_per_tick` calls.
void record_loop(benchmark::State& state, WorkerStats& worker, std::span<const RequestSample> cycle,
                 std::size_t calls_per_tick, Clock::duration tick) {
    auto now = kStart;
    std::size_t next = 0, calls = 0;
    for (auto _ : state) {
        worker.record(cycle[next], now);
        if (++next == cycle.size()) next = 0;
        if (++calls == calls_per_tick) {
            calls = 0;
            now += tick;
        }
    }
}

void BM_Record(benchmark::State& state, std::size_t cycle_length, std::size_t calls_per_tick,
               Clock::duration tick) {
    const auto all = samples();
    StatsRegistry registry{1, kStart};
    record_loop(state, registry.worker(0), std::span{all}.first(cycle_length), calls_per_tick,
                tick);
}
// 1 µs of clock per call: a new second (slot recycling) every million calls, as at 1M req/s.
BENCHMARK_CAPTURE(BM_Record, varied, kSamples, 1, Clock::duration{1us});
// The floor: one sample over and over, so every cell it touches stays in L1.
BENCHMARK_CAPTURE(BM_Record, same_sample, 1, 1, Clock::duration{1us});
// A new second every 1,000 calls: slot recycling's share at 1,000 req/s per worker.
BENCHMARK_CAPTURE(BM_Record, new_second_every_1000, kSamples, 1000, Clock::duration{1s});

// The writer while another thread snapshots without pause: the cache lines it shares with the
// reader (a scrape pulls them away) are the only cost a reader can add to the request path.
void BM_RecordWhileSnapshotting(benchmark::State& state) {
    const auto all = samples();
    StatsRegistry registry{1, kStart};
    std::atomic<bool> stop{false};
    std::thread reader{[&] {
        while (!stop.load(std::memory_order_relaxed)) {
            benchmark::DoNotOptimize(registry.snapshot(kStart + 30s));
        }
    }};
    record_loop(state, registry.worker(0), all, 1, 1us);
    stop.store(true);
    reader.join();
}
BENCHMARK(BM_RecordWhileSnapshotting)->UseRealTime();

// Two workers, every second of the minute filled (1,000 samples a second each).
StatsRegistry& full_registry() {
    static StatsRegistry registry = [] {
        StatsRegistry filled{2, kStart};
        const auto all = samples();
        for (std::size_t w = 0; w < filled.workers(); ++w) {
            for (int second = 0; second < 60; ++second) {
                for (std::size_t i = 0; i < 1000; ++i) {
                    filled.worker(w).record(all[(i + w) % kSamples],
                                            kStart + std::chrono::seconds{second});
                }
            }
        }
        return filled;
    }();
    return registry;
}

void BM_SnapshotTwoWorkersFullMinute(benchmark::State& state) {
    auto& registry = full_registry();
    for (auto _ : state) benchmark::DoNotOptimize(registry.snapshot(kStart + 59s));
}
BENCHMARK(BM_SnapshotTwoWorkersFullMinute)->Unit(benchmark::kMicrosecond);

void BM_ToJson(benchmark::State& state) {
    const auto report = full_registry().snapshot(kStart + 59s);
    for (auto _ : state) benchmark::DoNotOptimize(to_json(report));
}
BENCHMARK(BM_ToJson)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace switchyard::stats

BENCHMARK_MAIN();
