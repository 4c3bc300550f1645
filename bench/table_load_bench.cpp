// How long a switchyard instance takes to load its flags from the DynamoDB table at start, and
// what it then holds: N tenants (and M closed doors) written to a dynalite table, the library's
// full load timed in-process (with the bytes and read units DynamoDB would count), then the real
// binary started on the table and timed until its ready file, with its RSS. Also one delta
// applied to the loaded snapshot (what a poll that found an entry change costs).
//
//   build/bench/bench_table_load --tenants 100000 --doors 10000
//
// dynalite is a single-threaded node process on LevelDB: its reads are far slower than
// DynamoDB's, so the load time here is an upper bound dominated by dynalite.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "dynalite_process.hpp"
#include "flag_table/codec.hpp"
#include "flag_table/flag_table.hpp"
#include "flag_table/layout.hpp"
#include "proxy_process.hpp"
#include "test_client.hpp"

namespace {

using namespace switchyard;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::uint64_t status_kib(pid_t pid, const std::string& field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind(field + ":", 0) == 0) return std::stoull(line.substr(field.size() + 1));
    }
    return 0;
}

std::string tenant_id(std::size_t i) {
    char text[32];
    std::snprintf(text, sizeof text, "tenant-%07zu", i);
    return text;
}

// BatchWriteItem, 25 items a call, whatever comes back unprocessed sent again.
void write_items(dynamo::Client& client, const std::string& table,
                 std::vector<dynamo::Item> items) {
    for (std::size_t start = 0; start < items.size(); start += 25) {
        nlohmann::json puts = nlohmann::json::array();
        for (std::size_t i = start; i < std::min(items.size(), start + 25); ++i) {
            puts.push_back({{"PutRequest", {{"Item", items[i]}}}});
        }
        nlohmann::json request{{"RequestItems", {{table, puts}}}};
        for (int round = 0; round < 20; ++round) {
            auto answer = client.call("BatchWriteItem", request, table);
            if (!answer) throw std::runtime_error(answer.error().message);
            const auto rest = answer->value("UnprocessedItems", nlohmann::json::object());
            if (rest.empty() || !rest.contains(table)) break;
            request["RequestItems"] = rest;
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"bench_table_load: loading the flags from a DynamoDB (dynalite) table"};
    std::size_t tenants = 100000, doors = 10000, delta_tenants = 1000000;
    std::string binary = SWITCHYARD_BINARY;
    cli.add_option("--tenants", tenants, "tenants with an entry");
    cli.add_option("--doors", doors, "of them, how many have closed their door");
    cli.add_option("--switchyard", binary, "the switchyard binary");
    cli.add_option("--delta-tenants", delta_tenants,
                   "also time one delta on a snapshot of this many tenants (in memory only)");
    CLI11_PARSE(cli, argc, argv);

    ::setenv("AWS_ACCESS_KEY_ID", "AKIDBENCH", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "bench", 1);
    ::setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    test::DynaliteProcess dynalite;
    dynalite.start();
    flag_table::TableSettings settings;
    settings.table = "bench-flags";
    settings.client = dynamo::test::test_config(dynalite.endpoint());
    settings.call_timeout = std::chrono::seconds(60);
    settings.instance = "bench";
    auto opened = flag_table::FlagTable::open(settings);
    if (!opened) {
        std::cerr << opened.error().message << "\n";
        return 1;
    }
    auto table = std::move(opened.value());
    if (auto made = table->init_table(std::chrono::seconds(30)); !made) {
        std::cerr << made.error().message << "\n";
        return 1;
    }

    const auto seeding = Clock::now();
    std::vector<dynamo::Item> items;
    const Stage stages[] = {Stage::legacy, Stage::shadow, Stage::reads, Stage::new_, Stage::final_};
    for (std::size_t i = 0; i < tenants; ++i) {
        items.push_back(flag_table::encode_entry(tenant_id(i), {stages[i % 5], ""}, 1, 0));
    }
    for (std::size_t i = 0; i < doors && i < tenants; ++i) {
        items.push_back(flag_table::encode_door(
            {tenant_id(i * (tenants / std::max<std::size_t>(doors, 1))), 1795417751567,
             "0123456789abcdef0123456789abcdef", "proxy-1", "POST", "/orders/12345/items"},
            0));
    }
    write_items(table->client(), settings.table, std::move(items));
    std::cerr << "seeded " << tenants << " tenants and " << doors << " doors in "
              << seconds_since(seeding) << " s\n";

    const auto loading = Clock::now();
    auto loaded = table->load();
    if (!loaded) {
        std::cerr << loaded.error().message << "\n";
        return 1;
    }
    const double load_s = seconds_since(loading);
    const auto& report = loaded->report;

    flag_table::Delta delta;
    delta.seq = 1;
    delta.entries.push_back({tenant_id(7), flags::EditableEntry{Stage::final_, ""}, 2});
    const auto applying = Clock::now();
    const auto applied = flag_table::apply_delta(*loaded->flags, delta);
    const double delta_ms = seconds_since(applying) * 1000;

    // The same on a bigger snapshot, built in memory: what a poll with an entry change costs.
    std::vector<flag_table::EntryItem> many;
    for (std::size_t i = 0; i < delta_tenants; ++i) {
        many.push_back({tenant_id(i), flags::EditableEntry{stages[i % 5], ""}, 1, 0});
    }
    const auto big = flag_table::build_snapshot(flag_table::ConfigValue{}, many);
    many.clear();
    const auto applying_big = Clock::now();
    const auto applied_big = flag_table::apply_delta(*big, delta);
    const double big_delta_ms = seconds_since(applying_big) * 1000;

    nlohmann::json config{{"listen", {{{"address", "127.0.0.1:0"}}}},
                          {"threads", 1},
                          {"backends",
                           {{"legacy", {{"urls", {"http://127.0.0.1:9"}}}},
                            {"new", {{"urls", {"http://127.0.0.1:9"}}}}}},
                          {"flags",
                           {{"dynamodb",
                             {{"table", settings.table},
                              {"region", "us-east-1"},
                              {"endpoint", dynalite.endpoint()},
                              {"call_timeout_ms", 60000}}}}},
                          {"access_log", {{"enabled", false}}},
                          {"log_level", "warn"}};
    const auto starting = Clock::now();
    test::ProxyProcess proxy(test::ProxyLaunch{binary, config, "{}", {}});
    if (!proxy.wait_ready(std::chrono::minutes(10))) {
        std::cerr << "switchyard did not become ready\n" << proxy.describe();
        return 1;
    }
    const double start_s = seconds_since(starting);
    const auto rss_kib = status_kib(proxy.pid(), "VmRSS");
    const auto peak_kib = status_kib(proxy.pid(), "VmHWM");

    std::printf(
        "| tenants | closed doors | item bytes | read units (strongly consistent) | pages |"
        " load in-process | switchyard start to ready | RSS after | peak RSS | one delta |"
        " one delta, %zu tenants |\n",
        delta_tenants);
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
    std::printf(
        "| %zu | %zu | %.1f MiB (%.0f B per item) | %.0f | %zu | %.2f s | %.2f s | %.1f MiB | "
        "%.1f MiB | %.1f ms | %.0f ms |\n",
        report.entries, report.doors, report.bytes / 1048576.0,
        static_cast<double>(report.bytes) / std::max<std::size_t>(report.entries + report.doors, 1),
        report.read_units, report.pages, load_s, start_s, rss_kib / 1024.0, peak_kib / 1024.0,
        delta_ms, big_delta_ms);
    const bool whole = applied->tenant_count() == loaded->flags->tenant_count() &&
                       applied_big->tenant_count() == big->tenant_count();
    return whole ? 0 : 1;
}
