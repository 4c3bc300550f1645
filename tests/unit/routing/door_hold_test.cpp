// decide() with closed doors, and read-your-writes in the `reads` stage.
#include <gtest/gtest.h>

#include "request_fixture.hpp"
#include "routing/decide.hpp"
#include "routing/read_your_writes.hpp"

namespace switchyard::routing {
namespace {

using testing::TestRequest;

constexpr std::string_view kConfig = R"({"routes": [{"prefix": "/", "policy": "tenant"}]})";

Snapshot with_doors(std::string_view flags, std::initializer_list<const char*> closed) {
    auto snapshot = testing::snapshot_from(kConfig, flags);
    std::vector<flags::DoorClosing> closings;
    for (auto tenant : closed) closings.push_back({tenant, 1, "r", "i", "POST", "/"});
    snapshot.doors = std::make_shared<const flags::DoorSet>()->with(closings);
    return snapshot;
}

Decision route(const Snapshot& snapshot, const char* tenant, const char* method = "GET") {
    TestRequest request;
    request.method = method;
    request.headers = {{"X-Tenant-Id", tenant}};
    return decide(snapshot, request.view(), 0);
}

TEST(DoorHold, ClosedDoorTenantOutsideTheCohortIsHeldOnNew) {
    const auto snapshot = with_doors(R"({"rollout": {"stage": "new", "percent": 0}})", {"acme"});
    const auto held = route(snapshot, "acme", "POST");
    EXPECT_EQ(held.side, Side::new_);
    EXPECT_EQ(held.stage, Stage::new_);
    EXPECT_EQ(held.why, Why::held_by_door);
    const auto open = route(snapshot, "globex", "POST");
    EXPECT_EQ(open.side, Side::legacy);
    EXPECT_EQ(open.why, Why::default_stage);
}

TEST(DoorHold, ClosedDoorKeepsReadsAndWritesOnNewEvenInReads) {
    const auto snapshot = with_doors(R"({"default_stage": "reads"})", {"acme"});
    EXPECT_EQ(route(snapshot, "acme", "POST").side, Side::new_);
    EXPECT_EQ(route(snapshot, "acme", "GET").side, Side::new_);
    EXPECT_EQ(route(snapshot, "globex", "POST").side, Side::legacy);
}

TEST(DoorHold, FinalStaysFinal) {
    const auto snapshot = with_doors(R"({"tenants": {"acme": {"stage": "final"}}})", {"acme"});
    const auto decision = route(snapshot, "acme", "POST");
    EXPECT_EQ(decision.stage, Stage::final_);
    EXPECT_EQ(decision.why, Why::pinned);
}

TEST(ReadYourWrites, ReadsAfterAWriteGoToLegacyForTheWindow) {
    const auto snapshot = testing::snapshot_from(kConfig, R"({"default_stage": "reads"})");
    RecentWrites writes;
    auto read = route(snapshot, "acme", "GET");
    apply_read_your_writes(read, writes, 1'000, 2'000);
    EXPECT_EQ(read.side, Side::new_);

    auto write = route(snapshot, "acme", "POST");
    apply_read_your_writes(write, writes, 1'000, 2'000);
    EXPECT_EQ(write.side, Side::legacy);

    auto read_after = route(snapshot, "acme", "GET");
    apply_read_your_writes(read_after, writes, 2'999, 2'000);
    EXPECT_EQ(read_after.side, Side::legacy);
    EXPECT_EQ(read_after.why, Why::read_your_writes);

    auto read_later = route(snapshot, "acme", "GET");
    apply_read_your_writes(read_later, writes, 3'000, 2'000);
    EXPECT_EQ(read_later.side, Side::new_);
}

TEST(ReadYourWrites, OnlyTheReadsStageIsAffected) {
    const auto snapshot = testing::snapshot_from(kConfig, R"({"default_stage": "new"})");
    RecentWrites writes;
    writes.record_write("acme", 1'000);
    auto read = route(snapshot, "acme", "GET");
    apply_read_your_writes(read, writes, 1'001, 2'000);
    EXPECT_EQ(read.side, Side::new_);
}

}  // namespace
}  // namespace switchyard::routing
