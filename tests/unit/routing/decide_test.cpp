// decide() over one config and one flag document, a row per behaviour.
#include "routing/decide.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "request_fixture.hpp"

namespace switchyard::routing {
namespace {

using testing::bearer_jwt;
using testing::TestRequest;

constexpr std::string_view kConfig = R"({
  "listen": [{"address": "0.0.0.0:8080"}],
  "tenant_key": [{"header": "X-Tenant-Id"}, {"host": "{tenant}.example.com"},
                 {"path_prefix": "/t/{tenant}/", "strip": true}, {"jwt_claim": "iss"}],
  "routes": [
    {"prefix": "/static/", "policy": "pinned", "side": "new"},
    {"prefix": "/health", "host": "Legacy-Probe.internal", "policy": "pinned", "side": "legacy"},
    {"prefix": "/api/stateless/", "policy": "weighted", "new_percent": 25},
    {"prefix": "/strict/", "policy": "tenant", "no_tenant": "reject"},
    {"prefix": "/early/", "policy": "tenant", "no_tenant": "new"},
    {"prefix": "/", "policy": "tenant"}
  ]
})";

// Cohort buckets under "wave-1": wayne 502 and "42" 3064 are inside 50 %, soylent 7311 is not.
constexpr std::string_view kFlags = R"({
  "default_stage": "legacy",
  "rollout": {"stage": "new", "percent": 50, "salt": "wave-1"},
  "tenants": {
    "acme":     {"stage": "new"},
    "globex":   {"stage": "reads"},
    "initech":  {"stage": "shadow"},
    "umbrella": {"stage": "final"},
    "hooli":    {"stage": "legacy", "note": "pinned back after incident 42"}
  }
})";

constexpr std::size_t kStatic = 0, kHealth = 1, kWeighted = 2, kStrict = 3, kEarly = 4,
                      kCatchAll = 5;

struct Row {
    std::string name{};
    TestRequest request{};
    std::uint64_t random = 0;
    Side side = Side::legacy;
    Why why = Why::default_stage;
    std::string tenant{};
    std::size_t route = kCatchAll;
    std::optional<Stage> stage{};         // checked when set
    std::optional<std::string> target{};  // forward_target(), checked when set
    bool unsafe = false;
    bool reject = false;
};

void PrintTo(const Row& row, std::ostream* out) {
    *out << row.request.method << " " << row.request.target << " (" << row.name << ")";
}

TestRequest with_tenant(std::string tenant, std::string method = "GET",
                        std::string target = "/orders") {
    return {.method = std::move(method),
            .target = std::move(target),
            .headers = {{"X-Tenant-Id", std::move(tenant)}}};
}

const std::vector<Row>& rows() {
    static const std::vector<Row> kRows{
        // The ladder, by stage and method.
        {.name = "new_stage_reads_go_new",
         .request = with_tenant("acme"),
         .side = Side::new_,
         .why = Why::pinned,
         .tenant = "acme",
         .stage = Stage::new_},
        {.name = "new_stage_writes_go_new",
         .request = with_tenant("acme", "POST"),
         .side = Side::new_,
         .why = Why::pinned,
         .tenant = "acme",
         .unsafe = true},
        {.name = "reads_stage_get_goes_new",
         .request = with_tenant("globex"),
         .side = Side::new_,
         .why = Why::pinned,
         .tenant = "globex",
         .stage = Stage::reads},
        {.name = "reads_stage_head_goes_new",
         .request = with_tenant("globex", "HEAD"),
         .side = Side::new_,
         .why = Why::pinned,
         .tenant = "globex"},
        {.name = "reads_stage_options_goes_new",
         .request = with_tenant("globex", "OPTIONS"),
         .side = Side::new_,
         .why = Why::pinned,
         .tenant = "globex"},
        {.name = "reads_stage_post_stays_legacy",
         .request = with_tenant("globex", "POST"),
         .side = Side::legacy,
         .why = Why::pinned,
         .tenant = "globex",
         .stage = Stage::reads,
         .unsafe = true},
        {.name = "reads_stage_put_stays_legacy",
         .request = with_tenant("globex", "PUT"),
         .why = Why::pinned,
         .tenant = "globex",
         .unsafe = true},
        {.name = "reads_stage_patch_stays_legacy",
         .request = with_tenant("globex", "PATCH"),
         .why = Why::pinned,
         .tenant = "globex",
         .unsafe = true},
        {.name = "reads_stage_delete_stays_legacy",
         .request = with_tenant("globex", "DELETE"),
         .why = Why::pinned,
         .tenant = "globex",
         .unsafe = true},
        {.name = "method_names_are_case_sensitive",
         .request = with_tenant("globex", "get"),
         .why = Why::pinned,
         .tenant = "globex",
         .unsafe = true},
        {.name = "shadow_stage_stays_legacy_and_says_shadow",
         .request = with_tenant("initech"),
         .side = Side::legacy,
         .why = Why::pinned,
         .tenant = "initech",
         .stage = Stage::shadow},
        {.name = "shadow_stage_writes_stay_legacy",
         .request = with_tenant("initech", "POST"),
         .why = Why::pinned,
         .tenant = "initech",
         .stage = Stage::shadow,
         .unsafe = true},
        {.name = "final_stage_writes_go_new",
         .request = with_tenant("umbrella", "DELETE"),
         .side = Side::new_,
         .why = Why::pinned,
         .tenant = "umbrella",
         .stage = Stage::final_,
         .unsafe = true},
        {.name = "legacy_entry_is_pinned_not_default",
         .request = with_tenant("hooli"),
         .side = Side::legacy,
         .why = Why::pinned,
         .tenant = "hooli",
         .stage = Stage::legacy},
        // Cohort and default.
        {.name = "cohort_tenant_follows_rollout",
         .request = with_tenant("wayne", "POST"),
         .side = Side::new_,
         .why = Why::cohort,
         .tenant = "wayne",
         .stage = Stage::new_,
         .unsafe = true},
        {.name = "tenant_outside_cohort_gets_default",
         .request = with_tenant("soylent"),
         .side = Side::legacy,
         .why = Why::default_stage,
         .tenant = "soylent",
         .stage = Stage::legacy},
        // No tenant.
        {.name = "no_key_defaults_to_legacy",
         .request = {.target = "/orders"},
         .why = Why::no_tenant,
         .tenant = "",
         .target = "/orders"},
        {.name = "no_key_rejected_where_configured",
         .request = {.target = "/strict/orders"},
         .why = Why::no_tenant,
         .route = kStrict,
         .reject = true},
        {.name = "key_accepted_on_strict_route",
         .request = with_tenant("acme", "GET", "/strict/x"),
         .side = Side::new_,
         .why = Why::pinned,
         .tenant = "acme",
         .route = kStrict},
        {.name = "no_key_to_new_where_configured",
         .request = {.target = "/early/x"},
         .side = Side::new_,
         .why = Why::no_tenant,
         .route = kEarly},
        {.name = "invalid_key_is_no_key",
         .request = with_tenant("acme corp"),
         .why = Why::no_tenant,
         .tenant = ""},
        // Pinned routes: no tenant lookup at all.
        {.name = "pinned_route_ignores_tenant",
         .request = with_tenant("hooli", "GET", "/static/app.js"),
         .side = Side::new_,
         .why = Why::pinned_route,
         .tenant = "",
         .route = kStatic,
         .target = "/static/app.js"},
        {.name = "pinned_route_marks_unsafe_methods",
         .request = with_tenant("hooli", "POST", "/static/upload"),
         .side = Side::new_,
         .why = Why::pinned_route,
         .route = kStatic,
         .unsafe = true},
        {.name = "route_prefix_is_case_sensitive",
         .request = with_tenant("acme", "GET", "/STATIC/x"),
         .side = Side::new_,
         .why = Why::pinned,
         .tenant = "acme"},
        {.name = "route_prefix_ignores_the_query",
         .request = with_tenant("acme", "GET", "/orders?next=/static/x"),
         .side = Side::new_,
         .why = Why::pinned,
         .tenant = "acme"},
        {.name = "route_host_matches_without_port_and_case",
         .request = {.target = "/healthz", .host = "LEGACY-probe.Internal:9000"},
         .why = Why::pinned_route,
         .route = kHealth},
        {.name = "route_host_mismatch_falls_through",
         .request = {.target = "/healthz", .host = "other.internal"},
         .why = Why::no_tenant},
        // Weighted: random % 10000 < 2500 goes new.
        {.name = "weighted_random_0_new",
         .request = {.target = "/api/stateless/q"},
         .random = 0,
         .side = Side::new_,
         .why = Why::weighted,
         .route = kWeighted},
        {.name = "weighted_random_2499_new",
         .request = {.target = "/api/stateless/q"},
         .random = 2499,
         .side = Side::new_,
         .why = Why::weighted,
         .route = kWeighted},
        {.name = "weighted_random_2500_legacy",
         .request = {.target = "/api/stateless/q"},
         .random = 2500,
         .side = Side::legacy,
         .why = Why::weighted,
         .route = kWeighted},
        {.name = "weighted_random_9999_legacy",
         .request = {.target = "/api/stateless/q"},
         .random = 9999,
         .side = Side::legacy,
         .why = Why::weighted,
         .route = kWeighted},
        {.name = "weighted_random_is_taken_mod_10000",
         .request = {.target = "/api/stateless/q"},
         .random = 10'000'000'001ULL,
         .side = Side::new_,
         .why = Why::weighted,
         .route = kWeighted},
        {.name = "weighted_ignores_the_tenant",
         .request = with_tenant("acme", "GET", "/api/stateless/q"),
         .random = 9999,
         .side = Side::legacy,
         .why = Why::weighted,
         .tenant = "",
         .route = kWeighted},
        // Key sources, in order.
        {.name = "host_key_ignores_port_and_case",
         .request = {.target = "/x", .host = "ACME.Example.COM:8443"},
         .side = Side::new_,
         .why = Why::pinned,
         .tenant = "acme"},
        {.name = "header_wins_over_host",
         .request = {.target = "/x",
                     .host = "acme.example.com",
                     .headers = {{"x-tenant-id", "soylent"}}},
         .why = Why::default_stage,
         .tenant = "soylent"},
        {.name = "invalid_header_falls_back_to_host",
         .request = {.target = "/x",
                     .host = "acme.example.com",
                     .headers = {{"X-Tenant-Id", "acme/../globex"}}},
         .side = Side::new_,
         .why = Why::pinned,
         .tenant = "acme"},
        {.name = "path_key_is_stripped",
         .request = {.method = "POST", .target = "/t/umbrella/orders?x=1"},
         .side = Side::new_,
         .why = Why::pinned,
         .tenant = "umbrella",
         .target = "/orders?x=1",
         .unsafe = true},
        {.name = "path_key_alone_becomes_root",
         .request = {.target = "/t/acme"},
         .side = Side::new_,
         .why = Why::pinned,
         .tenant = "acme",
         .target = "/"},
        {.name = "path_key_with_query_becomes_root_with_query",
         .request = {.target = "/t/acme?x"},
         .side = Side::new_,
         .why = Why::pinned,
         .tenant = "acme",
         .target = "/?x"},
        {.name = "strip_applies_when_header_named_the_tenant",
         .request = {.target = "/t/acme/orders", .headers = {{"X-Tenant-Id", "globex"}}},
         .side = Side::new_,
         .why = Why::pinned,
         .tenant = "globex",
         .target = "/orders"},
        {.name = "invalid_path_key_is_not_stripped",
         .request = {.target = "/t/a%20b/orders"},
         .why = Why::no_tenant,
         .target = "/t/a%20b/orders"},
        {.name = "jwt_key_is_last",
         .request = {.target = "/x",
                     .headers = {{"Authorization", bearer_jwt(R"({"iss":"wayne"})")}}},
         .side = Side::new_,
         .why = Why::cohort,
         .tenant = "wayne"},
        {.name = "jwt_integer_claim_is_rendered",
         .request = {.target = "/x", .headers = {{"Authorization", bearer_jwt(R"({"iss":42})")}}},
         .side = Side::new_,
         .why = Why::cohort,
         .tenant = "42"},
        {.name = "path_wins_over_jwt",
         .request = {.target = "/t/soylent/x",
                     .headers = {{"Authorization", bearer_jwt(R"({"iss":"acme"})")}}},
         .why = Why::default_stage,
         .tenant = "soylent",
         .target = "/x"},
    };
    return kRows;
}

class Decide : public ::testing::TestWithParam<Row> {};

TEST_P(Decide, Row) {
    static const Snapshot snapshot = testing::snapshot_from(kConfig, kFlags);
    const Row& row = GetParam();
    const Decision decision = decide(snapshot, row.request.view(), row.random);
    EXPECT_EQ(to_string(decision.side), to_string(row.side));
    EXPECT_EQ(to_string(decision.why), to_string(row.why));
    EXPECT_EQ(decision.tenant, row.tenant);
    EXPECT_EQ(decision.route_index, row.route);
    EXPECT_EQ(decision.unsafe_method, row.unsafe);
    EXPECT_EQ(decision.reject, row.reject);
    EXPECT_EQ(decision.policy, snapshot.routing->routes[row.route].policy);
    if (row.stage) {
        EXPECT_EQ(to_string(decision.stage), to_string(*row.stage));
    }
    EXPECT_EQ(decision.forward_target(), row.target.value_or(row.request.target));
}

INSTANTIATE_TEST_SUITE_P(Table, Decide, ::testing::ValuesIn(rows()),
                         [](const auto& info) { return info.param.name; });

// The stripped target is a view into the request's target, not a copy.
TEST(DecideTarget, StrippedTargetIsASuffixOfTheRequestTarget) {
    const Snapshot snapshot = testing::snapshot_from(kConfig, kFlags);
    const TestRequest request{.target = "/t/acme/orders?x=1"};
    const RequestView view = request.view();
    const Decision decision = decide(snapshot, view, 0);
    EXPECT_EQ(decision.upstream_target.data(), view.target.data() + 7);
    EXPECT_TRUE(decision.rewritten_target.empty());
}

TEST(DecideTarget, TargetThatCannotBeASuffixIsOwned) {
    const Snapshot snapshot = testing::snapshot_from(kConfig, kFlags);
    const TestRequest request{.target = "/t/acme?x=1"};
    const Decision decision = decide(snapshot, request.view(), 0);
    EXPECT_EQ(decision.rewritten_target, "/?x=1");
    EXPECT_TRUE(decision.upstream_target.empty());
    EXPECT_EQ(decision.forward_target(), "/?x=1");
}

TEST(DecideEdges, NoMatchingRouteGoesLegacy) {
    const Snapshot snapshot{
        testing::flags_from("{}"),
        testing::routing_from(
            R"({"routes": [{"prefix": "/api/", "policy": "pinned", "side": "new"}]})"),
        1, nullptr};
    const TestRequest request{.target = "/other"};
    const Decision decision = decide(snapshot, request.view(), 0);
    EXPECT_EQ(decision.side, Side::legacy);
    EXPECT_EQ(decision.why, Why::no_route);
    EXPECT_EQ(decision.route_index, 1U);  // one past the table
    EXPECT_EQ(decision.forward_target(), "/other");
}

TEST(DecideEdges, EmptySnapshotGoesLegacy) {
    const TestRequest request = with_tenant("acme");
    const Decision decision = decide(Snapshot{}, request.view(), 0);
    EXPECT_EQ(decision.side, Side::legacy);
    EXPECT_EQ(decision.why, Why::no_route);
}

TEST(DecideEdges, MissingFlagDocumentMeansEveryoneLegacy) {
    const Snapshot snapshot{nullptr, testing::routing_from("{}"), 1, nullptr};
    const TestRequest request = with_tenant("acme", "POST");
    const Decision decision = decide(snapshot, request.view(), 0);
    EXPECT_EQ(decision.side, Side::legacy);
    EXPECT_EQ(decision.why, Why::default_stage);
    EXPECT_EQ(decision.tenant, "acme");
}

TEST(DecideEdges, DefaultConfigReadsTheTenantHeader) {
    const Snapshot snapshot{testing::flags_from(kFlags), testing::routing_from("{}"), 1, nullptr};
    const TestRequest request = with_tenant("acme");
    const Decision decision = decide(snapshot, request.view(), 0);
    EXPECT_EQ(decision.side, Side::new_);
    EXPECT_EQ(decision.tenant, "acme");
}

TEST(SideFor, FollowsTheLadder) {
    EXPECT_EQ(side_for(Stage::legacy, false), Side::legacy);
    EXPECT_EQ(side_for(Stage::legacy, true), Side::legacy);
    EXPECT_EQ(side_for(Stage::shadow, false), Side::legacy);
    EXPECT_EQ(side_for(Stage::shadow, true), Side::legacy);
    EXPECT_EQ(side_for(Stage::reads, false), Side::new_);
    EXPECT_EQ(side_for(Stage::reads, true), Side::legacy);
    EXPECT_EQ(side_for(Stage::new_, false), Side::new_);
    EXPECT_EQ(side_for(Stage::new_, true), Side::new_);
    EXPECT_EQ(side_for(Stage::final_, false), Side::new_);
    EXPECT_EQ(side_for(Stage::final_, true), Side::new_);
}

TEST(DecisionNames, AreStableForLogsAndMetrics) {
    EXPECT_EQ(to_string(Policy::tenant), "tenant");
    EXPECT_EQ(to_string(Policy::weighted), "weighted");
    EXPECT_EQ(to_string(Policy::pinned), "pinned");
    EXPECT_EQ(to_string(Why::no_tenant), "no_tenant");
    EXPECT_EQ(to_string(Why::weighted), "weighted");
    EXPECT_EQ(to_string(Why::pinned_route), "pinned_route");
    EXPECT_EQ(to_string(Why::no_route), "no_route");
}

}  // namespace
}  // namespace switchyard::routing
