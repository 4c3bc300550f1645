#include "stats/worker_stats.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <limits>
#include <span>

namespace switchyard::stats {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;
constexpr auto kAcquire = std::memory_order_acquire;
constexpr auto kRelease = std::memory_order_release;

template <typename Count>
using BucketCells = std::array<std::atomic<Count>, buckets::kCount>;

// A group's counters and maxima share its first cache line, so a record touches that line and
// one line per latency bucket: 5 lines per period for a tenant request, not 8.
template <typename Count>
struct alignas(64) TrafficCells {
    std::array<std::atomic<Count>, kStatusClasses> responses_by_class{};
    std::atomic<Count> upstream_errors{0};
    std::atomic<std::uint64_t> max_latency_micros{0};
    std::atomic<std::uint64_t> max_upstream_micros{0};  // SideCells only
    BucketCells<Count> latency{};
};

template <typename Count>
struct SideCells : TrafficCells<Count> {
    BucketCells<Count> upstream_latency{};
};

template <typename Count>
struct PeriodCells {
    std::array<SideCells<Count>, kSides> sides;
    std::array<TrafficCells<Count>, kStages> stages;
};

// One sample, reduced once to what every group it lands in needs.
struct Measured {
    std::size_t status_class;
    bool upstream_error;
    std::uint64_t total_micros;
    std::size_t total_bucket;
    std::uint64_t upstream_micros;
    std::size_t upstream_bucket;
};

std::uint64_t micros_of(std::chrono::microseconds latency) noexcept {
    return latency.count() > 0 ? static_cast<std::uint64_t>(latency.count()) : 0;
}

Measured measure(const RequestSample& sample) noexcept {
    const auto total = micros_of(sample.total_latency);
    const auto upstream = micros_of(sample.upstream_latency);
    return {status_class_of(sample.status),
            sample.upstream_error,
            total,
            buckets::index_of(total),
            upstream,
            buckets::index_of(upstream)};
}

// --- the writer's side: one owner, so a load and a store make an increment -----------------
// Every store to a cell is a release (a plain mov on x86): a reader whose acquire load sees any
// value stored after a slot's recycling began also sees that the slot's second changed.

template <typename Count>
void bump(std::atomic<Count>& cell) noexcept {
    cell.store(cell.load(kRelaxed) + 1, kRelease);
}

template <typename Count>
void add(BucketCells<Count>& counts, std::atomic<std::uint64_t>& max_micros, std::size_t bucket,
         std::uint64_t micros) noexcept {
    if (micros > max_micros.load(kRelaxed)) max_micros.store(micros, kRelease);
    bump(counts[bucket]);  // a reader that sees the sample sees its max
}

template <typename Count>
void add(TrafficCells<Count>& cells, const Measured& sample) noexcept {
    add(cells.latency, cells.max_latency_micros, sample.total_bucket, sample.total_micros);
    // After the request itself: a reader that sees an error sees its request too.
    if (sample.status_class < kStatusClasses) {
        bump(cells.responses_by_class[sample.status_class]);
    }
    if (sample.upstream_error) bump(cells.upstream_errors);
}

template <typename Count>
void add(PeriodCells<Count>& cells, const RequestSample& sample, const Measured& measured) {
    auto& side = cells.sides[index_of(sample.side)];
    add(side.upstream_latency, side.max_upstream_micros, measured.upstream_bucket,
        measured.upstream_micros);
    add(side, measured);
    if (sample.tenant_route) add(cells.stages[index_of(sample.stage)], measured);
}

template <typename Count>
void reset(BucketCells<Count>& counts) noexcept {
    for (auto& count : counts) count.store(0, kRelease);
}

template <typename Count>
void reset(TrafficCells<Count>& cells) noexcept {
    for (auto& count : cells.responses_by_class) count.store(0, kRelease);
    cells.upstream_errors.store(0, kRelease);
    cells.max_latency_micros.store(0, kRelease);
    cells.max_upstream_micros.store(0, kRelease);
    reset(cells.latency);
}

template <typename Count>
void reset(PeriodCells<Count>& cells) noexcept {
    for (auto& side : cells.sides) {
        reset<Count>(side);
        reset(side.upstream_latency);
    }
    for (auto& stage : cells.stages) reset(stage);
}

// --- the reader's side: counters before the histograms they follow (see the header) -------

template <typename Count>
void load(const BucketCells<Count>& counts, const std::atomic<std::uint64_t>& max_micros,
          LatencyHistogram& into) noexcept {
    into.add_buckets([&counts](std::size_t i) { return counts[i].load(kAcquire); });
    into.raise_max(max_micros.load(kAcquire));
}

template <typename Count>
void load(const TrafficCells<Count>& cells, Traffic& into) noexcept {
    for (std::size_t i = 0; i < kStatusClasses; ++i) {
        into.responses_by_class[i] += cells.responses_by_class[i].load(kAcquire);
    }
    into.upstream_errors += cells.upstream_errors.load(kAcquire);
    load(cells.latency, cells.max_latency_micros, into.latency);
}

template <typename Count>
void load(const PeriodCells<Count>& cells, PeriodStats& into) noexcept {
    for (std::size_t i = 0; i < kSides; ++i) {
        const auto& side = cells.sides[i];
        load<Count>(side, into.sides[i]);
        load(side.upstream_latency, side.max_upstream_micros, into.sides[i].upstream_latency);
    }
    for (std::size_t i = 0; i < kStages; ++i) load(cells.stages[i], into.stages[i]);
}

constexpr std::int64_t kNoSecond = std::numeric_limits<std::int64_t>::min();
constexpr int kWindowReadAttempts = 3;

// 32-bit cells: one worker cannot serve 4 billion requests in one second.
struct Slot {
    std::atomic<std::int64_t> second{kNoSecond};  // kNoSecond: empty or being recycled
    PeriodCells<std::uint32_t> cells;
};

constexpr std::size_t kSlots = static_cast<std::size_t>(WorkerStats::kWindow.count());

std::size_t slot_of(std::int64_t second) noexcept {
    const auto slots = static_cast<std::int64_t>(kSlots);
    return static_cast<std::size_t>((second % slots + slots) % slots);
}

std::int64_t second_of(std::chrono::steady_clock::time_point now) noexcept {
    return std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
}

// Adds the slots of seconds >= oldest to `into`, straight from the cells; false when one was
// recycled while we read it (`into` then mixes two seconds: drop it).
bool add_window(std::span<const Slot> slots, std::int64_t oldest, PeriodStats& into) noexcept {
    for (const auto& slot : slots) {
        const auto second = slot.second.load(kAcquire);
        if (second < oldest) continue;  // empty, being recycled, or older than the window
        load(slot.cells, into);         // acquire loads: the check below cannot move above them
        if (slot.second.load(kRelaxed) != second) return false;
    }
    return true;
}

}  // namespace

struct alignas(64) WorkerStats::State {
    // The writer's own bookkeeping, never read by another thread.
    std::chrono::steady_clock::time_point second_ends =
        std::chrono::steady_clock::time_point::min();
    Slot* current = nullptr;

    PeriodCells<std::uint64_t> since_start;
    std::array<std::atomic<std::uint64_t>, kRequestCells> requests{};  // by route: since start
    std::array<Slot, kSlots> ring;

    void start_second(std::chrono::steady_clock::time_point now) noexcept {
        const auto second = second_of(now);
        second_ends = std::chrono::steady_clock::time_point{std::chrono::seconds{second + 1}};
        current = &ring[slot_of(second)];
        current->second.store(kNoSecond, kRelaxed);
        // Release stores: a reader that sees any zeroed or newer cell then sees kNoSecond (or
        // `second`) when it checks the slot again, and drops its copy. No fence: TSan checks it.
        reset(current->cells);
        current->second.store(second, kRelease);  // a reader that sees it sees the zeroed cells
    }
};

WorkerStats::WorkerStats() : state_(std::make_unique<State>()) {}
WorkerStats::~WorkerStats() = default;

std::size_t WorkerStats::memory_bytes() noexcept { return sizeof(State); }

void WorkerStats::record(const RequestSample& sample,
                         std::chrono::steady_clock::time_point now) noexcept {
    auto& state = *state_;
    if (now >= state.second_ends) state.start_second(now);  // a compare, not a division
    const auto measured = measure(sample);
    add(state.since_start, sample, measured);
    add(state.current->cells, sample, measured);
    if (measured.status_class < kStatusClasses) {
        bump(state.requests[request_cell(route_slot_of(sample.route_index), index_of(sample.side),
                                         sample.tenant_route ? index_of(sample.stage) : kNoStage,
                                         measured.status_class)]);
    }
}

void WorkerStats::add_to(StatsReport& report, std::chrono::steady_clock::time_point now) const {
    load(state_->since_start, report.since_start);
    for (std::size_t i = 0; i < kRequestCells; ++i) {
        report.requests[i] += state_->requests[i].load(kAcquire);
    }

    const auto oldest = second_of(now) - (static_cast<std::int64_t>(kSlots) - 1);
    const auto window = std::make_unique<PeriodStats>();
    for (int attempt = 0; attempt < kWindowReadAttempts; ++attempt) {
        if (add_window(state_->ring, oldest, *window)) {
            report.last_minute.merge(*window);
            return;
        }
        *window = PeriodStats{};
    }
    // The writer's clock keeps running through its ring while we read (only a test's does):
    // copy slot by slot, each copy kept only if its slot was not recycled meanwhile.
    const auto copy = std::make_unique<PeriodStats>();
    for (const auto& slot : state_->ring) {
        *copy = PeriodStats{};
        if (add_window(std::span{&slot, 1}, oldest, *copy)) report.last_minute.merge(*copy);
    }
}

}  // namespace switchyard::stats
