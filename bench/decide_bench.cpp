// decide() per tenant key source over a 10,000-tenant snapshot, the flag document parser over
// 100,000 tenants, and SnapshotStore::current() under threads.
//   build-modules/bench/bench_decide --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <array>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "flags/flag_document.hpp"
#include "routing/decide.hpp"
#include "routing/snapshot_store.hpp"
#include "tests/unit/routing/test_request.hpp"

namespace switchyard::routing {
namespace {

using testing::bearer_jwt;
using testing::TestRequest;

constexpr std::array<std::string_view, 5> kStages{"legacy", "shadow", "reads", "new", "final"};
constexpr std::size_t kRequests = 1024;  // cycled, so lookups do not all hit one cache line

std::string tenant_id(std::size_t i) { return "tenant-" + std::to_string(i); }

std::string flag_document(std::size_t tenants) {
    std::string text = R"({"rollout": {"stage": "new", "percent": 50, "salt": "wave-1"},
                           "tenants": {)";
    for (std::size_t i = 0; i < tenants; ++i) {
        text += (i ? ",\n" : "\n") + ("\"" + tenant_id(i) + "\": {\"stage\": \"");
        text += kStages[i % kStages.size()];
        text += "\"}";
    }
    return text + "}}";
}

std::shared_ptr<const flags::FlagSnapshot> flags_with(std::size_t tenants) {
    return *flags::parse_flag_document(flag_document(tenants));
}

Snapshot snapshot_with_key(std::string_view tenant_key_json) {
    const auto config = nlohmann::json::parse(std::string{R"({"tenant_key": [)"} +
                                              std::string{tenant_key_json} + "]}");
    static const auto flags = flags_with(10'000);
    return Snapshot{flags, *parse_routing_config(config), 1, nullptr};
}

// Every request names a different one of 10,000 tenants (every 10th is not in the document).
template <typename MakeRequest>
std::vector<TestRequest> requests(MakeRequest make) {
    std::vector<TestRequest> all;
    for (std::size_t i = 0; i < kRequests; ++i) {
        TestRequest request{.method = i % 3 ? "GET" : "POST",
                            .target = "/api/orders?page=2",
                            .headers = {{"Accept", "application/json"}, {"User-Agent", "bench"}}};
        make(request, tenant_id(i * 11 % 11'000));
        all.push_back(std::move(request));
    }
    return all;
}

void run_decide(benchmark::State& state, const Snapshot& snapshot,
                const std::vector<TestRequest>& all) {
    std::size_t i = 0;
    std::uint64_t random = 0;
    for (auto _ : state) {
        const Decision decision = decide(snapshot, all[i].view(), random++);
        benchmark::DoNotOptimize(decision.side);
        i = (i + 1) % all.size();
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_DecideHeaderKey(benchmark::State& state) {
    const Snapshot snapshot = snapshot_with_key(R"({"header": "X-Tenant-Id"})");
    const auto all = requests([](TestRequest& r, std::string tenant) {
        r.headers.emplace_back("X-Tenant-Id", std::move(tenant));
    });
    run_decide(state, snapshot, all);
}
BENCHMARK(BM_DecideHeaderKey);

void BM_DecideHostKey(benchmark::State& state) {
    const Snapshot snapshot = snapshot_with_key(R"({"host": "{tenant}.example.com"})");
    const auto all =
        requests([](TestRequest& r, std::string tenant) { r.host = tenant + ".Example.com:8443"; });
    run_decide(state, snapshot, all);
}
BENCHMARK(BM_DecideHostKey);

void BM_DecideJwtKey(benchmark::State& state) {
    const Snapshot snapshot = snapshot_with_key(R"({"jwt_claim": "tid"})");
    const auto all = requests([](TestRequest& r, const std::string& tenant) {
        const std::string payload = R"({"sub":"user-8812","iss":"https://idp.example.com",)"
                                    R"("aud":"api","exp":1893456000,"tid":")" +
                                    tenant + R"("})";
        r.headers.emplace_back("Authorization", bearer_jwt(payload));
    });
    run_decide(state, snapshot, all);
}
BENCHMARK(BM_DecideJwtKey);

void BM_ParseFlagDocument100k(benchmark::State& state) {
    const std::string text = flag_document(100'000);
    for (auto _ : state) {
        auto parsed = flags::parse_flag_document(text);
        benchmark::DoNotOptimize(parsed.ok());
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
    state.SetItemsProcessed(state.iterations() * 100'000);
}
BENCHMARK(BM_ParseFlagDocument100k)->Unit(benchmark::kMillisecond);

void BM_SnapshotStoreCurrent(benchmark::State& state) {
    static SnapshotStore store;
    if (state.thread_index() == 0) store.update_flags(flags_with(10));
    for (auto _ : state) {
        const auto snapshot = store.current();
        benchmark::DoNotOptimize(snapshot.get());
    }
}
BENCHMARK(BM_SnapshotStoreCurrent)->Threads(1)->Threads(2);

}  // namespace
}  // namespace switchyard::routing

BENCHMARK_MAIN();
