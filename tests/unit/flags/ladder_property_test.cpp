// Property tests for the migration ladder (issue 4): seeded generators of flag documents, door
// closings and concurrent first writes, checked against the rules of ARCHITECTURE.md, stated
// here apart from the code under test (bucket() aside: its values are pinned in
// rollout_test.cpp). Every failure names its seed; set
// SWITCHYARD_PROPERTY_SEED to replay one case or to explore other ones.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "flags/door_journal.hpp"
#include "flags/door_rule.hpp"
#include "flags/flag_document.hpp"
#include "flags/percent.hpp"
#include "flags/rollout.hpp"
#include "routing/decide.hpp"
#include "routing/routing_config.hpp"

namespace switchyard::flags {
namespace {

namespace fs = std::filesystem;

constexpr int kTenants = 50;
constexpr int kCases = 1000;
constexpr int kStepsPerCase = 30;

// The first seed of a run: SWITCHYARD_PROPERTY_SEED when set, else a fixed one (CI replays).
std::uint64_t base_seed() {
    if (const char* text = std::getenv("SWITCHYARD_PROPERTY_SEED")) {
        return std::strtoull(text, nullptr, 10);
    }
    return 20251123;
}

std::string replay_note(std::uint64_t seed) {
    return "seed " + std::to_string(seed) +
           " (replay: SWITCHYARD_PROPERTY_SEED=" + std::to_string(seed) + ")";
}

std::string tenant_name(int index) { return "t" + std::to_string(index); }

// ---- A flag document as plain values: the model the generator edits and the oracle reads. ----

struct ModelDocument {
    Stage default_stage = Stage::legacy;
    Stage rollout_stage = Stage::new_;
    std::uint32_t percent_hundredths = 0;
    std::string salt;
    std::map<std::string, Stage> tenants;
    std::map<std::string, std::string> force;  // tenant -> reason

    std::optional<Stage> entry(const std::string& tenant) const {
        const auto it = tenants.find(tenant);
        return it == tenants.end() ? std::nullopt : std::optional<Stage>(it->second);
    }
    // Without its own entry: the cohort (bucket below the percent), else the default.
    Stage fallback(const std::string& tenant) const {
        return bucket(salt, tenant) < percent_hundredths ? rollout_stage : default_stage;
    }
    Stage effective(const std::string& tenant) const {
        return entry(tenant).value_or(fallback(tenant));
    }
    bool mentions_final() const {
        return default_stage == Stage::final_ || rollout_stage == Stage::final_ ||
               std::any_of(tenants.begin(), tenants.end(),
                           [](const auto& entry) { return entry.second == Stage::final_; });
    }

    std::string json() const {
        nlohmann::json document{{"default_stage", to_string(default_stage)},
                                {"rollout",
                                 {{"stage", to_string(rollout_stage)},
                                  {"percent", static_cast<double>(percent_hundredths) / 100.0},
                                  {"salt", salt}}},
                                {"tenants", nlohmann::json::object()}};
        for (const auto& [id, stage] : tenants)
            document["tenants"][id] = {{"stage", to_string(stage)}};
        if (!force.empty()) document["force"] = force;
        return document.dump();
    }
};

class LadderGenerator {
  public:
    LadderGenerator(std::uint64_t seed, double final_share)
        : rng_(seed), final_share_(final_share) {}

    bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
    int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
    std::string tenant() { return tenant_name(below(kTenants)); }

    Stage stage() {
        if (chance(final_share_)) return Stage::final_;
        return static_cast<Stage>(below(4));  // legacy, shadow, reads, new
    }
    std::uint32_t percent() {
        // Often the extremes, where rollbacks and full rollouts live.
        if (chance(0.2)) return chance(0.5) ? 0 : kHundredthsInWhole;
        return static_cast<std::uint32_t>(below(kHundredthsInWhole + 1));
    }
    std::string salt() {
        static const char* const kSalts[] = {"", "wave-1", "wave-2", "x:y"};
        return kSalts[below(4)];
    }

    ModelDocument document() {
        ModelDocument doc;
        doc.default_stage = stage();
        doc.rollout_stage = stage();
        doc.percent_hundredths = percent();
        doc.salt = salt();
        const int entries = below(kTenants / 2);
        for (int i = 0; i < entries; ++i) doc.tenants[tenant()] = stage();
        return doc;
    }

    // A few edits an operator might make at once; force reasons lean towards closed doors.
    ModelDocument edit(const ModelDocument& before, const DoorSet& doors) {
        ModelDocument doc = before;
        doc.force.clear();
        const int edits = 1 + below(3);
        for (int i = 0; i < edits; ++i) {
            switch (below(10)) {
                case 0:
                    doc.default_stage = stage();
                    break;
                case 1:
                    doc.rollout_stage = stage();
                    break;
                case 2:
                    doc.percent_hundredths = percent();
                    break;
                case 3:
                    doc.salt = salt();
                    break;
                case 4:
                case 5:
                    remove_entry(doc);
                    break;
                default:
                    doc.tenants[tenant()] = stage();
                    break;
            }
        }
        if (chance(0.3)) {
            std::vector<std::string> closed;
            doors.for_each([&](const DoorClosing& door) { closed.push_back(door.tenant); });
            const int forced = 1 + below(3);
            for (int i = 0; i < forced; ++i) {
                const auto who =
                    !closed.empty() && chance(0.7)
                        ? closed[static_cast<std::size_t>(below(static_cast<int>(closed.size())))]
                        : tenant();
                doc.force[who] = "restored by hand " + std::to_string(below(1000));
            }
        }
        return doc;
    }

  private:
    void remove_entry(ModelDocument& doc) {
        if (doc.tenants.empty()) return;
        doc.tenants.erase(
            std::next(doc.tenants.begin(), below(static_cast<int>(doc.tenants.size()))));
    }

    std::mt19937_64 rng_;
    double final_share_;
};

// ---- Routing through the real decide(), with a header key. ----

std::shared_ptr<const routing::RoutingConfig> tenant_route() {
    static const auto config = [] {
        auto parsed = routing::parse_routing_config(
            nlohmann::json::parse(R"({"routes": [{"prefix": "/", "policy": "tenant"}]})"));
        EXPECT_TRUE(parsed) << parsed.error().message;
        return parsed.value();
    }();
    return config;
}

struct HeaderOnlyRequest {
    std::string tenant;
    static std::string_view find(const void* context, std::string_view name) noexcept {
        const auto* self = static_cast<const HeaderOnlyRequest*>(context);
        const std::string_view key = "x-tenant-id";
        const bool match = std::equal(name.begin(), name.end(), key.begin(), key.end(),
                                      [](char a, char b) { return std::tolower(a) == b; });
        return match ? std::string_view(self->tenant) : std::string_view{};
    }
};

Side side_of(const routing::Snapshot& snapshot, const std::string& tenant,
             std::string_view method) {
    const HeaderOnlyRequest request{tenant};
    const routing::RequestView view{method, "/orders", "switchyard.test",
                                    routing::HeaderLookup{&request, &HeaderOnlyRequest::find}};
    return routing::decide(snapshot, view, 0).side;
}

routing::Snapshot snapshot_of(std::shared_ptr<const FlagSnapshot> flags,
                              std::shared_ptr<const DoorSet> doors) {
    return routing::Snapshot{std::move(flags), tenant_route(), 1, std::move(doors)};
}

std::shared_ptr<const FlagSnapshot> parsed(const ModelDocument& doc) {
    auto snapshot = parse_flag_document(doc.json());
    EXPECT_TRUE(snapshot) << (snapshot ? "" : snapshot.error().message) << "\n" << doc.json();
    return snapshot ? snapshot.value() : nullptr;
}

TransitionReport check(const FlagSnapshot* before, const FlagSnapshot& after,
                       const DoorSet& doors) {
    return check_transition(before, after, doors,
                            [&](std::string_view tenant) { return after.force_reason(tenant); });
}

std::shared_ptr<const DoorSet> close_door(const DoorSet& doors, const std::string& tenant) {
    return doors.with(
        {DoorClosing{tenant, 1763892902000, "req-" + tenant, "proxy-1", "POST", "/"}});
}

// What the proxy does between flag changes: each tenant that writes while routed to new closes
// its door; now and then another instance (on older flags) closes one too.
std::shared_ptr<const DoorSet> write_traffic(LadderGenerator& gen,
                                             std::shared_ptr<const FlagSnapshot> flags,
                                             std::shared_ptr<const DoorSet> doors) {
    const int writers = 1 + gen.below(8);
    for (int i = 0; i < writers; ++i) {
        const auto who = gen.tenant();
        if (doors->closed(who)) continue;
        if (side_of(snapshot_of(flags, doors), who, "POST") == Side::new_ || gen.chance(0.1)) {
            doors = close_door(*doors, who);
        }
    }
    return doors;
}

// The door rule, stated from the model: the closed-door tenants an explicit change sends below
// `new` (its entry set below new, or removed from new onto a fallback below new).
std::set<std::string> explicit_moves_back(const ModelDocument* before, const ModelDocument& after,
                                          const DoorSet& doors) {
    std::set<std::string> moved;
    doors.for_each([&](const DoorClosing& door) {
        std::optional<Stage> was;
        if (before) was = before->entry(door.tenant);
        const auto now = after.entry(door.tenant);
        const bool changed = !before || was != now;
        if (!changed) return;
        if (now && *now < Stage::new_) moved.insert(door.tenant);
        if (!now && was && *was >= Stage::new_ && after.fallback(door.tenant) < Stage::new_) {
            moved.insert(door.tenant);
        }
    });
    return moved;
}

std::string listed(const std::set<std::string>& tenants) {
    std::string text;
    for (const auto& t : tenants) text += (text.empty() ? "" : ", ") + t;
    return text;
}

// Checks one accepted change against the door rule; returns what is wrong, empty when nothing.
std::string accepted_change_problems(const ModelDocument* before, const ModelDocument& after,
                                     const DoorSet& doors, const TransitionReport& report) {
    std::ostringstream problems;
    std::set<std::string> forced;
    for (const auto& move : report.forced) {
        forced.insert(move.tenant);
        if (!doors.closed(move.tenant)) problems << move.tenant << " forced with an open door; ";
        const auto reason = after.force.find(move.tenant);
        if (reason == after.force.end() || reason->second != move.reason) {
            problems << move.tenant << " forced without the document's reason; ";
        }
    }
    for (const auto& tenant : explicit_moves_back(before, after, doors)) {
        if (!after.force.contains(tenant)) {
            problems << tenant << " moved back past its closed door without force; ";
        } else if (!forced.contains(tenant)) {
            problems << tenant << " moved back by force but not reported for the journal; ";
        }
    }
    // Implicit changes (cohort, salt, default) hold closed-door tenants and list them.
    if (before) {
        doors.for_each([&](const DoorClosing& door) {
            const auto& t = door.tenant;
            if (before->entry(t) || after.entry(t)) return;
            if (before->fallback(t) >= Stage::new_ && after.fallback(t) < Stage::new_ &&
                std::find(report.held.begin(), report.held.end(), t) == report.held.end()) {
                problems << t << " held on new by an implicit change but not listed; ";
            }
        });
    }
    return problems.str();
}

// Every closed door, after the forced ones reopened, keeps reads and writes on new; every open
// one follows the document (an implicit rollback moves it).
std::string routing_problems(const routing::Snapshot& snapshot, const ModelDocument& after) {
    std::ostringstream problems;
    for (int i = 0; i < kTenants; ++i) {
        const auto tenant = tenant_name(i);
        const bool closed = snapshot.doors->closed(tenant);
        for (const bool unsafe : {true, false}) {
            const auto expected =
                closed ? Side::new_ : routing::side_for(after.effective(tenant), unsafe);
            const char* method = unsafe ? "POST" : "GET";
            if (side_of(snapshot, tenant, method) != expected) {
                problems << tenant << (closed ? " (closed door) " : " (open door) ") << method
                         << " routed to " << to_string(side_of(snapshot, tenant, method)) << "; ";
            }
        }
    }
    return problems.str();
}

// One flag change of a generated sequence, as check_transition answered it.
struct Change {
    int step;
    const ModelDocument* before;  // null: the document loaded at start
    const ModelDocument& after;
    const std::shared_ptr<const FlagSnapshot>& snapshot;
    const DoorSet& doors;  // closed when the change was checked, before any forced reopening
    const TransitionReport& report;
};

struct SequenceShape {
    double final_share;    // of the stages the generator writes
    double traffic_share;  // of the steps that are write traffic rather than a flag change
    int doors_at_start;    // at most this many doors closed in an earlier life
};

// kCases seeded sequences of flag changes and write traffic. A fresh visitor per sequence
// (make_visitor()) sees every change and returns what is wrong with it, empty when nothing; the
// first problem stops the run with its seed. Accepted changes apply: forced doors reopen.
template <typename MakeVisitor>
void for_each_change(const SequenceShape& shape, MakeVisitor&& make_visitor) {
    for (int n = 0; n < kCases; ++n) {
        const auto seed = base_seed() + static_cast<std::uint64_t>(n);
        LadderGenerator gen(seed, shape.final_share);
        auto visit = make_visitor();
        auto doors = std::make_shared<const DoorSet>();
        for (int i = gen.below(shape.doors_at_start + 1); i > 0; --i) {
            doors = close_door(*doors, gen.tenant());
        }
        std::optional<ModelDocument> model;
        std::shared_ptr<const FlagSnapshot> current;
        for (int step = 0; step < kStepsPerCase; ++step) {
            if (current && gen.chance(shape.traffic_share)) {
                doors = write_traffic(gen, current, doors);
                continue;
            }
            const ModelDocument next = model ? gen.edit(*model, *doors) : gen.document();
            const auto after = parsed(next);
            ASSERT_TRUE(after) << replay_note(seed);
            const auto report = check(current.get(), *after, *doors);
            const std::string problem =
                visit(Change{step, model ? &*model : nullptr, next, after, *doors, report});
            if (!problem.empty()) {
                FAIL() << replay_note(seed) << ", step " << step << ": " << problem
                       << "\nbefore: " << (model ? model->json() : "(start)")
                       << "\nafter:  " << next.json();
            }
            if (!report.accepted()) continue;
            for (const auto& move : report.forced) doors = doors->without(move.tenant);
            model = next;
            current = after;
        }
    }
}

TEST(LadderProperty, AcceptedChangesNeverSendAClosedDoorTenantBackWithoutForce) {
    int accepted = 0, refused = 0, forced = 0, held = 0;
    for_each_change({0.05, 0.4, 3}, [&] {
        return [&](const Change& change) -> std::string {
            const auto& report = change.report;
            if (!report.accepted()) {
                ++refused;
                // Without final in play, the door rule is the only reason to refuse.
                const bool final_in_play = (change.before && change.before->mentions_final()) ||
                                           change.after.mentions_final();
                const auto moved = explicit_moves_back(change.before, change.after, change.doors);
                const bool any_unforced = std::any_of(moved.begin(), moved.end(), [&](auto& t) {
                    return !change.after.force.contains(t);
                });
                if (final_in_play || any_unforced) return {};
                return "refused with no closed door moved back: " + report.refused[0];
            }
            ++accepted;
            forced += static_cast<int>(report.forced.size());
            held += static_cast<int>(report.held.size());
            auto problems =
                accepted_change_problems(change.before, change.after, change.doors, report);
            auto doors = std::make_shared<const DoorSet>(change.doors);
            for (const auto& move : report.forced) doors = doors->without(move.tenant);
            return problems + routing_problems(snapshot_of(change.snapshot, doors), change.after);
        };
    });
    // The generator must reach every branch, or the property proves little.
    EXPECT_GT(accepted, 1000);
    EXPECT_GT(refused, 100);
    EXPECT_GT(forced, 50);
    EXPECT_GT(held, 50);
}

TEST(LadderProperty, FinalTenantsNeverLeaveNewWhateverIsAccepted) {
    int final_checks = 0;
    for_each_change({0.3, 0.3, 0}, [&] {
        // Final (own entry, cohort or default) in an accepted document of this sequence.
        return [&, final_tenants = std::set<std::string>{}](const Change& change) mutable {
            std::string problems;
            if (!change.report.accepted()) return problems;
            auto doors = std::make_shared<const DoorSet>(change.doors);
            for (const auto& move : change.report.forced) doors = doors->without(move.tenant);
            const auto snapshot = snapshot_of(change.snapshot, doors);
            for (const auto& t : final_tenants) {
                ++final_checks;
                const auto now = change.after.effective(t);
                if (now != Stage::final_) {
                    problems += t + " was final and the accepted change made it " +
                                std::string(to_string(now)) + "; ";
                }
                if (side_of(snapshot, t, "POST") != Side::new_ ||
                    side_of(snapshot, t, "GET") != Side::new_) {
                    problems += t + " was final and is routed to legacy; ";
                }
            }
            for (int i = 0; i < kTenants; ++i) {
                if (change.after.effective(tenant_name(i)) == Stage::final_) {
                    final_tenants.insert(tenant_name(i));
                }
            }
            return problems;
        };
    });
    EXPECT_GT(final_checks, 10000);
}

// ---- The cohort: stable, monotonic, 0.01 % steps. ----

std::string random_text(std::mt19937_64& rng, std::size_t max_bytes) {
    static constexpr std::string_view kChars =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:@";
    std::string text(std::uniform_int_distribution<std::size_t>(0, max_bytes)(rng), ' ');
    for (auto& c : text)
        c = kChars[std::uniform_int_distribution<std::size_t>(0, kChars.size() - 1)(rng)];
    return text;
}

TEST(LadderProperty, RaisingThePercentNeverRemovesATenantFromTheCohort) {
    const auto seed = base_seed();
    SCOPED_TRACE(replay_note(seed));
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::uint32_t> percent(0, kHundredthsInWhole);
    for (int n = 0; n < 20000; ++n) {
        const auto salt = random_text(rng, 12);
        const auto tenant = random_text(rng, 40);
        auto low = percent(rng), high = percent(rng);
        if (low > high) std::swap(low, high);
        const Rollout before(Stage::new_, low, salt), after(Stage::new_, high, salt);
        ASSERT_TRUE(!before.contains(tenant) || after.contains(tenant))
            << "salt \"" << salt << "\" tenant \"" << tenant << "\" in the cohort at " << low
            << " hundredths, out of it at " << high;
    }
}

TEST(LadderProperty, EveryHundredthOfAPercentIsItsOwnStep) {
    const auto seed = base_seed();
    SCOPED_TRACE(replay_note(seed));
    std::mt19937_64 rng(seed);
    for (int n = 0; n < 20000; ++n) {
        const auto salt = random_text(rng, 12);
        const auto tenant = random_text(rng, 40);
        const auto b = bucket(salt, tenant);
        ASSERT_LT(b, kHundredthsInWhole);
        // The tenant joins exactly when the percent passes its bucket, 0.01 % at a time.
        ASSERT_FALSE(Rollout(Stage::new_, b, salt).contains(tenant)) << salt << ":" << tenant;
        ASSERT_TRUE(Rollout(Stage::new_, b + 1, salt).contains(tenant)) << salt << ":" << tenant;
    }
    // Every step an operator can write parses to exactly that many hundredths...
    for (std::uint32_t h = 0; h <= kHundredthsInWhole; ++h) {
        const auto value = percent_to_hundredths(static_cast<double>(h) / 100.0);
        ASSERT_TRUE(value) << h;
        ASSERT_EQ(*value, h);
        ModelDocument doc;
        doc.percent_hundredths = h;
        const auto snapshot = parse_flag_document(doc.json());
        ASSERT_TRUE(snapshot) << doc.json();
        ASSERT_EQ((*snapshot)->rollout().percent_hundredths(), h) << doc.json();
    }
    // ...and anything finer is refused rather than rounded.
    EXPECT_FALSE(percent_to_hundredths(12.345));
    EXPECT_FALSE(parse_flag_document(R"({"rollout": {"stage": "new", "percent": 0.005}})"));
}

TEST(LadderProperty, ACohortOfOneHundredthHoldsAboutOneTenantInTenThousand) {
    // 200,000 tenants at 0.01 %: about 20 in the cohort (a uniform bucket, not a coarser one).
    const Rollout tiny(Stage::new_, 1, "wave-1"), one_percent(Stage::new_, 100, "wave-1");
    int in_tiny = 0, in_one_percent = 0;
    for (int i = 0; i < 200000; ++i) {
        const auto tenant = "tenant-" + std::to_string(i);
        in_tiny += tiny.contains(tenant);
        in_one_percent += one_percent.contains(tenant);
    }
    EXPECT_GE(in_tiny, 5);
    EXPECT_LE(in_tiny, 45);
    EXPECT_GE(in_one_percent, 1800);
    EXPECT_LE(in_one_percent, 2200);
}

// ---- The journal: no first write proceeds before its closing is on disk. ----

class JournalProperty : public testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("ladder-property-" + std::to_string(::getpid()) + "-" +
                testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        file_ = dir_ / "doors.jsonl";
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::unique_ptr<DoorJournal> open_journal() {
        auto journal = DoorJournal::open(file_, "property", nullptr);
        EXPECT_TRUE(journal) << (journal ? "" : journal.error().message);
        return journal ? std::move(journal.value()) : nullptr;
    }

    static DoorClosing first_write(std::string tenant, std::string request_id) {
        return DoorClosing{std::move(tenant), unix_now_ms(), std::move(request_id), "", "POST",
                           "/orders"};
    }
    // tenant -> how many door_closed lines the file holds now (forced moves do not count).
    std::map<std::string, int> closings_on_disk() const {
        std::ifstream in(file_);
        std::map<std::string, int> closings;
        std::string line;
        while (std::getline(in, line)) {
            const auto entry = nlohmann::json::parse(line, nullptr, false);
            if (entry.is_object() && entry.value("event", "") == "door_closed") {
                ++closings[entry.value("tenant", "")];
            }
        }
        return closings;
    }

    fs::path dir_;
    fs::path file_;
};

TEST_F(JournalProperty, NoFirstWriteProceedsBeforeItsClosingIsOnDisk) {
    constexpr int kThreads = 8;
    constexpr int kCallsPerThread = 300;
    constexpr int kJournalTenants = 200;
    const auto seed = base_seed();
    SCOPED_TRACE(replay_note(seed));
    auto journal = open_journal();
    ASSERT_TRUE(journal);

    std::mutex mutex;
    std::vector<std::string> problems;
    std::set<std::string> asked;
    std::atomic<int> answered{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::mt19937_64 rng(seed * 31 + static_cast<std::uint64_t>(t));
            std::uniform_int_distribution<int> pick(0, kJournalTenants - 1);
            for (int i = 0; i < kCallsPerThread; ++i) {
                const auto tenant = "tenant-" + std::to_string(pick(rng));
                {
                    std::lock_guard lock(mutex);
                    asked.insert(tenant);
                }
                const auto request_id = "req-" + std::to_string(t) + "-" + std::to_string(i);
                journal->close_before_forwarding(
                    first_write(tenant, request_id), [&, tenant](const Error* error) {
                        // The request would be forwarded now: its closing must be on disk.
                        std::string problem = error ? tenant + ": " + error->message : "";
                        if (!error && !closings_on_disk().contains(tenant)) {
                            problem = tenant + ": allowed through before its closing was on disk";
                        }
                        if (!problem.empty()) {
                            std::lock_guard lock(mutex);
                            problems.push_back(problem);
                        }
                        answered.fetch_add(1);
                    });
                if (rng() % 4 == 0) std::this_thread::yield();
            }
        });
    }
    for (auto& thread : threads) thread.join();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (answered.load() < kThreads * kCallsPerThread &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_EQ(answered.load(), kThreads * kCallsPerThread) << "some first writes never answered";
    {
        std::lock_guard lock(mutex);
        ASSERT_TRUE(problems.empty()) << problems.size() << " problems, first: " << problems[0];
    }
    // Each tenant closed exactly once, and a restart knows every one of them.
    const auto on_disk = closings_on_disk();
    ASSERT_EQ(on_disk.size(), asked.size());
    for (const auto& [tenant, lines] : on_disk) {
        ASSERT_TRUE(asked.contains(tenant)) << tenant;
        ASSERT_EQ(lines, 1) << tenant << " was journaled " << lines << " times";
    }
    EXPECT_EQ(journal->doors()->size(), asked.size());
    journal.reset();
    const auto reopened = open_journal();
    ASSERT_TRUE(reopened);
    EXPECT_EQ(reopened->doors()->size(), asked.size());
    EXPECT_TRUE(reopened->warnings().empty());
}

// A forced move racing the tenant's own first write: whichever wins, the journal read back at the
// next start must agree with the doors the running proxy routed by.
TEST_F(JournalProperty, ReplayedJournalAgreesWithMemoryWhenForcedMovesRaceFirstWrites) {
    constexpr int kJournalTenants = 40;
    for (int round = 0; round < 6; ++round) {
        const auto seed = base_seed() + static_cast<std::uint64_t>(round);
        SCOPED_TRACE(replay_note(seed));
        fs::remove(file_);
        auto journal = open_journal();
        ASSERT_TRUE(journal);
        std::atomic<int> pending{0};
        std::thread writer([&] {
            std::mt19937_64 rng(seed);
            for (int i = 0; i < 400; ++i) {
                const auto tenant = "tenant-" + std::to_string(rng() % kJournalTenants);
                pending.fetch_add(1);
                journal->close_before_forwarding(first_write(tenant, "req-" + std::to_string(i)),
                                                 [&](const Error*) { pending.fetch_sub(1); });
            }
        });
        std::thread operator_thread([&] {
            std::mt19937_64 rng(seed * 7 + 1);
            for (int i = 0; i < 30; ++i) {
                const auto tenant = "tenant-" + std::to_string(rng() % kJournalTenants);
                ASSERT_TRUE(
                    journal->record_forced_move({tenant, "new", "legacy", "property", "test"}));
            }
        });
        writer.join();
        operator_thread.join();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (pending.load() > 0 && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        ASSERT_EQ(pending.load(), 0);
        std::set<std::string> in_memory, replayed;
        journal->doors()->for_each([&](const DoorClosing& door) { in_memory.insert(door.tenant); });
        journal.reset();
        const auto reopened = open_journal();
        ASSERT_TRUE(reopened);
        reopened->doors()->for_each([&](const DoorClosing& door) { replayed.insert(door.tenant); });
        ASSERT_EQ(listed(replayed), listed(in_memory))
            << "a restart would route by other doors than the running proxy did";
    }
}

// A journal damaged by a crash or a hand: whatever the damage, open() answers (a journal or an
// error naming the place), never throws; a damaged last line is cut with a warning; and every
// closing on an intact line before the damage survives.
TEST_F(JournalProperty, DamagedJournalOpensOrRefusesButNeverThrowsOrForgets) {
    const auto seed = base_seed();
    SCOPED_TRACE(replay_note(seed));
    std::mt19937_64 rng(seed);
    const auto below = [&](std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
    };
    int refused = 0, warned = 0;
    for (int n = 0; n < 300; ++n) {
        std::vector<std::string> lines;
        const std::size_t count = 1 + below(12);
        for (std::size_t i = 0; i < count; ++i) {
            nlohmann::json line{
                {"event", "door_closed"},   {"tenant", "tenant-" + std::to_string(i)},
                {"unix_ms", 1763892902000}, {"request_id", "req-" + std::to_string(i)},
                {"instance", "proxy-1"},    {"method", "POST"},
                {"path", "/orders"}};
            lines.push_back(line.dump() + "\n");
        }
        const std::size_t damaged = below(count);
        std::string& line = lines[damaged];
        std::string kind;
        switch (below(4)) {
            case 0:  // torn: the rest of the file never reached the disk
                kind = "torn";
                line.resize(below(line.size()));
                lines.resize(damaged + 1);
                break;
            case 1:  // one byte overwritten
                kind = "byte";
                line[below(line.size())] = static_cast<char>(0x20 + below(0x5f));
                break;
            case 2:  // a field of the wrong type
                kind = "type";
                line.replace(line.find("\"tenant-"), std::string("\"tenant-").size(), "4");
                line.erase(line.find("\",\"unix_ms"), 1);
                break;
            default:
                kind = "type";
                line.replace(line.find("\"req-"), std::string("\"req-").size(), "7");
                line.erase(line.find("\",\"tenant"), 1);
                break;
        }
        std::string text;
        for (const auto& l : lines) text += l;
        {
            std::ofstream out(file_, std::ios::binary | std::ios::trunc);
            out << text;
        }
        SCOPED_TRACE("case " + std::to_string(n) + ", " + kind + " damage on line " +
                     std::to_string(damaged + 1) + " of " + std::to_string(lines.size()) + ":\n" +
                     text);
        Result<std::unique_ptr<DoorJournal>> opened = Error{"not opened"};
        try {
            opened = DoorJournal::open(file_, "property", nullptr);
        } catch (const std::exception& e) {
            FAIL() << "open() threw: " << e.what();
        }
        const bool last = damaged + 1 == lines.size();
        if (!opened) {
            ++refused;
            ASSERT_FALSE(last) << "a damaged last line refused the start: "
                               << opened.error().message;
            ASSERT_NE(opened.error().message.find("line " + std::to_string(damaged + 1)),
                      std::string::npos)
                << opened.error().message;
            continue;
        }
        warned += !(*opened)->warnings().empty();
        for (std::size_t i = 0; i < damaged; ++i) {
            ASSERT_TRUE((*opened)->doors()->closed("tenant-" + std::to_string(i))) << i;
        }
    }
    EXPECT_GT(refused, 10);
    EXPECT_GT(warned, 10);
}

}  // namespace
}  // namespace switchyard::flags
