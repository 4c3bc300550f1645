// The engine and the routing snapshot it caches per worker: a worker with no requests lets go of
// a replaced snapshot when the server asks its workers to refresh (runtime.cpp asks after every
// publication), not at its next request, which may be hours away.
#include <gtest/gtest.h>

#include <memory>

#include "flags/flag_document.hpp"
#include "http_client.hpp"
#include "proxy/access_log.hpp"
#include "proxy/server.hpp"
#include "routing/snapshot_store.hpp"
#include "wait.hpp"

namespace switchyard::proxy {
namespace {

std::shared_ptr<const flags::FlagSnapshot> flags_of(std::string_view text) {
    auto parsed = flags::parse_flag_document(text);
    if (!parsed) throw std::runtime_error(parsed.error().message);
    return *parsed;
}

TEST(ServerSnapshots, IdleWorkersLetGoOfAReplacedSnapshotWhenAskedToRefresh) {
    routing::SnapshotStore snapshots;
    auto first = flags_of(R"({"default_stage": "legacy"})");
    const std::weak_ptr<const flags::FlagSnapshot> replaced = first;
    snapshots.update_flags(std::move(first));

    ProxySettings settings;
    settings.listen = {{"127.0.0.1", 0}};
    settings.threads = 2;
    settings.legacy = {
        {"127.0.0.1", 9, ""}};  // never reached: no routing, every request is refused
    settings.new_side = {{"127.0.0.1", 9, ""}};
    AccessLog access_log{false, ""};
    Server server{settings, snapshots, access_log};
    server.start();
    const auto address = server.bound_addresses().at(0);
    const auto port = static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
    // Connections spread over both workers (SO_REUSEPORT): each that served one caches the
    // snapshot, and then has nothing more to do.
    for (int connection = 0; connection < 32; ++connection) {
        test::HttpClient client{port};
        const auto answer = client.request(test::ClientRequest::make("GET", "/"));
        ASSERT_TRUE(answer.ok()) << answer.describe();
    }

    snapshots.update_flags(flags_of(R"({"default_stage": "new"})"));
    ASSERT_FALSE(replaced.expired()) << "idle workers hold the replaced flags in their caches";
    server.refresh_snapshots();
    EXPECT_TRUE(test::wait_until([&] { return replaced.expired(); }, std::chrono::seconds{10}))
        << "a worker still holds the replaced flags";
    server.stop();
}

}  // namespace
}  // namespace switchyard::proxy
