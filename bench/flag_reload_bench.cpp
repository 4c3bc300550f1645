// What a reload of a 1,000,000-tenant flag file costs, step by step: reading the file, hashing
// its bytes, parsing it, checking the change against the one-way door, and freeing the old
// snapshot. The document has the swap bench's shape (bench/peers/swap.py: json.dumps(indent=1)
// of bench/wrk/flags-10k.py's document), 3 lines a tenant.
//   build/bench/bench_flag_reload --benchmark_min_time=2 [--benchmark_filter=Parse]
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "flags/door_rule.hpp"
#include "flags/door_set.hpp"
#include "flags/file_source.hpp"
#include "flags/flag_document.hpp"
#include "flags/text_digest.hpp"

namespace switchyard::flags {
namespace {

constexpr std::size_t kMillion = 1'000'000;

// bench/wrk/flags-10k.py's document, written as Python's json.dumps(..., indent=1) writes it.
std::string bench_document(std::size_t tenants) {
    std::string text =
        "{\n \"default_stage\": \"legacy\",\n \"rollout\": {\n  \"stage\": \"new\",\n"
        "  \"percent\": 0,\n  \"salt\": \"bench\"\n },\n \"tenants\": {\n";
    text.reserve(tenants * 48);
    char id[16];
    for (std::size_t i = 0; i < tenants; ++i) {
        std::snprintf(id, sizeof id, "t%05zu", i);
        text += "  \"";
        text += id;
        text += i % 2 == 0 ? "\": {\n   \"stage\": \"new\"\n  }"
                           : "\": {\n   \"stage\": \"legacy\"\n  }";
        text += i + 1 < tenants ? ",\n" : "\n";
    }
    return text + " }\n}\n";
}

const std::string& million_document() {
    static const std::string text = bench_document(kMillion);
    return text;
}

std::shared_ptr<const FlagSnapshot> parsed(const std::string& text) {
    auto result = parse_flag_document(text);
    if (!result) throw std::runtime_error(result.error().message);
    return *result;
}

void BM_ParseMillionTenants(benchmark::State& state) {
    const auto& text = million_document();
    for (auto _ : state) {
        auto snapshot = parse_flag_document(text);
        benchmark::DoNotOptimize(snapshot);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.counters["MiB"] = static_cast<double>(text.size()) / (1 << 20);
}
BENCHMARK(BM_ParseMillionTenants)->Unit(benchmark::kMillisecond);

// What deciding "same bytes as before?" costs.
void BM_HashMillionTenantDocument(benchmark::State& state) {
    const auto& text = million_document();
    for (auto _ : state) benchmark::DoNotOptimize(content_hash(text));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_HashMillionTenantDocument)->Unit(benchmark::kMillisecond);

// The watcher's whole job for one new file: read, hash, parse, publish to a callback.
void BM_FileSourceLoadMillionTenants(benchmark::State& state) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("bench_flag_reload_" + std::to_string(::getpid()) + ".json");
    std::ofstream(path, std::ios::binary) << million_document();
    for (auto _ : state) {
        FileSource source(path, std::chrono::seconds(60), {}, {}, FileSource::Watch::poll_only);
        auto loaded = source.load_now();
        benchmark::DoNotOptimize(loaded);
    }
    std::filesystem::remove(path);
}
BENCHMARK(BM_FileSourceLoadMillionTenants)->Unit(benchmark::kMillisecond);

// The one-way door's check for the swap: 10,000 tenants before, 1,000,000 after, with
// `state.range(0)` closed doors.
void BM_CheckTransitionToMillionTenants(benchmark::State& state) {
    const auto before = parsed(bench_document(10'000));
    const auto after = parsed(million_document());
    std::vector<DoorClosing> closings;
    for (std::int64_t i = 0; i < state.range(0); ++i) {
        char id[24];
        std::snprintf(id, sizeof id, "t%05lld", static_cast<long long>(i * 2));  // on new
        closings.push_back({id, 1, "r", "i", "POST", "/"});
    }
    const auto doors = DoorSet{}.with(closings);
    for (auto _ : state) {
        auto report = check_transition(before.get(), *after, *doors, {});
        benchmark::DoNotOptimize(report);
    }
}
BENCHMARK(BM_CheckTransitionToMillionTenants)->Arg(0)->Arg(10'000)->Unit(benchmark::kMillisecond);

// Dropping the last reference to a 1,000,000-tenant snapshot (whoever holds it last pays this).
void BM_FreeMillionTenantSnapshot(benchmark::State& state) {
    const auto& text = million_document();
    for (auto _ : state) {
        state.PauseTiming();
        auto snapshot = parsed(text);
        state.ResumeTiming();
        snapshot.reset();
    }
}
BENCHMARK(BM_FreeMillionTenantSnapshot)->Iterations(20)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace switchyard::flags

BENCHMARK_MAIN();
