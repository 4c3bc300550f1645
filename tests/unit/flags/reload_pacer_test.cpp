// The reload pacer against a scripted clock: how much of a core the watcher takes is a function
// of what the clock says the other threads did, so each case asserts the arithmetic, not time.
#include "flags/reload_pacer.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace switchyard::flags {
namespace {

using namespace std::chrono_literals;
using Nanoseconds = ReloadPacer::Nanoseconds;

// One watcher thread and "the others": the process's other threads, which use a share of the
// watcher's core whenever the watcher is not running it, and whole cores elsewhere.
class ScriptedClock final : public ReloadPacer::Clock {
  public:
    unsigned core_count = 1;
    double others_take = 0;        // of the watcher's core, while the watcher does not run
    double others_elsewhere = 0;   // cores the others keep busy besides the watcher's
    Nanoseconds wakes_late_by{0};  // after a sleep, others keep the core this much longer

    Reading now() override {
        ++full_readings;
        return reading_;
    }
    Nanoseconds wall_now() override { return reading_.wall; }
    Nanoseconds thread_cpu() override {
        ++full_readings;
        return reading_.thread_cpu;
    }
    unsigned cores() override { return core_count; }
    void sleep_for(Nanoseconds duration) override {
        sleeps.push_back(duration);
        pass(duration, others_take);
        preempt(wakes_late_by);
    }

    // The watcher runs for `cpu`.
    void work(Nanoseconds cpu) {
        reading_.thread_cpu += cpu;
        reading_.process_cpu += cpu;
        pass(cpu, 0);
    }
    // The scheduler runs another thread on the watcher's core for `duration`.
    void preempt(Nanoseconds duration) { pass(duration, 1); }

    Nanoseconds wall() const { return reading_.wall; }
    Nanoseconds watcher_cpu() const { return reading_.thread_cpu; }
    std::vector<Nanoseconds> sleeps;
    int full_readings = 0;  // of the thread's CPU clock (a system call on the real clock)

  private:
    void pass(Nanoseconds duration, double on_watchers_core) {
        reading_.wall += duration;
        reading_.process_cpu += Nanoseconds{static_cast<Nanoseconds::rep>(
            static_cast<double>(duration.count()) * (on_watchers_core + others_elsewhere))};
    }
    Reading reading_{1s, 0s, 0s};
};

// A reload's work in pieces of `piece` CPU with a pause point after each.
void run(ReloadPacer& pacer, ScriptedClock& clock, int pieces, Nanoseconds piece = 30us) {
    for (int i = 0; i < pieces; ++i) {
        clock.work(piece);
        pacer.pause_point();
    }
}

double watcher_share(const ScriptedClock& clock, Nanoseconds wall_before, Nanoseconds cpu_before) {
    return static_cast<double>((clock.watcher_cpu() - cpu_before).count()) /
           static_cast<double>((clock.wall() - wall_before).count());
}

// The watcher's share of the wall time while it runs `pieces` more pieces.
double share_over(ReloadPacer& pacer, ScriptedClock& clock, int pieces) {
    const auto wall_before = clock.wall();
    const auto cpu_before = clock.watcher_cpu();
    run(pacer, clock, pieces);
    return watcher_share(clock, wall_before, cpu_before);
}

// A watcher's pacer on a clock the test scripts, with a policy of its own (the figures below
// follow from it): steps of 150 µs, 15 % of a busy core.
class ReloadPacerTest : public testing::Test {
  protected:
    ScriptedClock clock;
    ReloadPacer pacer{clock, {std::chrono::microseconds{150}, 0.15}};
};

TEST_F(ReloadPacerTest, NoPauseUntilAStepsCpuIsSpent) {
    clock.others_take = 1;
    pacer.begin();
    run(pacer, clock, 4);  // 120 µs: under one step
    EXPECT_EQ(pacer.steps(), 0U);
    EXPECT_TRUE(clock.sleeps.empty());
    run(pacer, clock, 1);
    EXPECT_EQ(pacer.steps(), 1U);
    EXPECT_EQ(clock.sleeps.size(), 1U);
}

TEST_F(ReloadPacerTest, ReadsTheThreadsCpuClockAFewTimesAStepNotAtEveryPausePoint) {
    clock.others_take = 1;
    pacer.begin();
    run(pacer, clock, 150, 10us);  // 10 steps of 15 pause points each
    EXPECT_EQ(pacer.steps(), 10U);
    // begin(), then at each step's end: the check, the look before the sleep, the start of the
    // next step. Read at every pause point, it would be 150 and more.
    EXPECT_LE(clock.full_readings, 1 + 3 * 10);
}

TEST_F(ReloadPacerTest, FirstStepIsFollowedByASleepThatLooksWhetherAnyoneElseWantsTheCore) {
    pacer.begin();
    run(pacer, clock, 5);
    ASSERT_EQ(clock.sleeps.size(), 1U);
    // 150 µs of work at a 15 % share: 1 ms from the step's start to the wake-up.
    EXPECT_EQ(clock.sleeps[0], 850us);
}

TEST_F(ReloadPacerTest, AnIdleProcessGetsAFullSpeedReloadAfterTheFirstLooks) {
    pacer.begin();
    run(pacer, clock, 1000);  // 200 steps
    EXPECT_EQ(pacer.steps(), 200U);
    EXPECT_LE(clock.sleeps.size(), 3U);
    EXPECT_LT(pacer.slept(), 1100us);
    EXPECT_LT(pacer.others_busy(), 0.2);
    EXPECT_EQ(share_over(pacer, clock, 1000), 1.0);
}

TEST_F(ReloadPacerTest, ABusyCoreLeavesTheWatcherItsShareOnly) {
    clock.others_take = 1;  // a request thread that always has work
    pacer.begin();
    run(pacer, clock, 1000);
    EXPECT_EQ(pacer.others_busy(), 1.0);
    EXPECT_EQ(clock.sleeps.size(), 200U);
    EXPECT_NEAR(watcher_share(clock, 1s, 0s), 0.15, 0.001);
}

TEST_F(ReloadPacerTest, AStopMidwayLetsTheRestOfTheReloadRunUnpaced) {
    clock.others_take = 1;
    pacer.begin();
    run(pacer, clock, 500);
    const auto sleeps_before_stop = clock.sleeps.size();
    EXPECT_EQ(sleeps_before_stop, 100U);
    pacer.stop_pacing();
    EXPECT_EQ(share_over(pacer, clock, 500), 1.0);
    EXPECT_EQ(clock.sleeps.size(), sleeps_before_stop);
}

TEST_F(ReloadPacerTest, OthersAsBusyAsHalfTheCoreLeaveTheWatcherTheOtherHalf) {
    clock.others_take = 0.5;
    pacer.begin();
    run(pacer, clock, 500);
    EXPECT_NEAR(pacer.others_busy(), 0.5, 0.01);
    EXPECT_NEAR(share_over(pacer, clock, 500), 0.5, 0.01);
}

TEST_F(ReloadPacerTest, OthersBusyOnOtherCoresDoNotSlowTheWatcher) {
    clock.core_count = 4;
    clock.others_elsewhere = 3;  // three request threads, each on a core of its own
    pacer.begin();
    run(pacer, clock, 1000);
    EXPECT_LE(clock.sleeps.size(), 3U);
    EXPECT_LT(pacer.others_busy(), 0.2);
}

TEST_F(ReloadPacerTest, EveryCoreBusyIsABusyCoreToo) {
    clock.core_count = 4;
    clock.others_elsewhere = 3;
    clock.others_take = 1;  // and a fourth that wants the watcher's core
    pacer.begin();
    run(pacer, clock, 1000);
    EXPECT_EQ(pacer.others_busy(), 1.0);
    EXPECT_NEAR(watcher_share(clock, 1s, 0s), 0.15, 0.001);
}

TEST_F(ReloadPacerTest, ARequestThreadThatTakesTheCoreMidwayIsGivenItBack) {
    pacer.begin();
    run(pacer, clock, 500);  // idle: full speed
    const auto sleeps_while_idle = clock.sleeps.size();
    // Traffic arrives: the scheduler runs the request thread for a slice, and it keeps
    // wanting the core from then on.
    clock.others_take = 1;
    clock.work(20us);
    clock.preempt(3ms);
    pacer.pause_point();
    run(pacer, clock, 100);
    EXPECT_GT(clock.sleeps.size(), sleeps_while_idle + 15);
    EXPECT_GT(pacer.others_busy(), 0.99);
    EXPECT_NEAR(share_over(pacer, clock, 500), 0.15, 0.001);
}

TEST_F(ReloadPacerTest, TimeLostToPreemptionCountsAsTimeGivenBack) {
    clock.others_take = 1;
    pacer.begin();
    run(pacer, clock, 100);
    clock.sleeps.clear();
    clock.work(100us);
    clock.preempt(300us);  // the step's wall time is 150 µs of work and 300 µs of others
    run(pacer, clock, 2, 25us);
    ASSERT_EQ(clock.sleeps.size(), 1U);
    EXPECT_EQ(clock.sleeps[0], 1000us - 450us);
}

TEST_F(ReloadPacerTest, WakingLateIsTimeGivenBackSoTheShareHoldsOverTheReload) {
    clock.others_take = 1;
    clock.wakes_late_by = 200us;
    pacer.begin();
    run(pacer, clock, 100);
    clock.sleeps.clear();
    run(pacer, clock, 5);
    ASSERT_EQ(clock.sleeps.size(), 1U);
    EXPECT_EQ(clock.sleeps[0], 850us - 200us);
    EXPECT_NEAR(share_over(pacer, clock, 1000), 0.15, 0.001);
}

TEST_F(ReloadPacerTest, BeginForgetsTheLastReload) {
    pacer.begin();
    run(pacer, clock, 1000);
    ASSERT_LT(pacer.others_busy(), 0.2);
    pacer.begin();
    EXPECT_EQ(pacer.others_busy(), 1.0);
    EXPECT_EQ(pacer.steps(), 0U);
    EXPECT_EQ(pacer.slept(), 0ns);
    clock.sleeps.clear();
    run(pacer, clock, 5);
    ASSERT_EQ(clock.sleeps.size(), 1U);
    EXPECT_EQ(clock.sleeps[0], 850us);
}

TEST_F(ReloadPacerTest, AThreadScopeLendsThePacerToItsThreadOnlyWhileItLives) {
    EXPECT_EQ(ReloadPacer::on_this_thread(), nullptr);
    {
        const ReloadPacer::ThreadScope outer(&pacer);
        EXPECT_EQ(ReloadPacer::on_this_thread(), &pacer);
        {
            const ReloadPacer::ThreadScope inner(nullptr);  // load_now(): no pacing
            EXPECT_EQ(ReloadPacer::on_this_thread(), nullptr);
        }
        EXPECT_EQ(ReloadPacer::on_this_thread(), &pacer);
        ReloadPacer* elsewhere = &pacer;
        std::thread([&] { elsewhere = ReloadPacer::on_this_thread(); }).join();
        EXPECT_EQ(elsewhere, nullptr);
    }
    EXPECT_EQ(ReloadPacer::on_this_thread(), nullptr);
}

}  // namespace
}  // namespace switchyard::flags
