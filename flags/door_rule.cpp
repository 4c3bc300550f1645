#include "flags/door_rule.hpp"

#include <cstdint>
#include <optional>

#include "common/utc_time.hpp"
#include "flags/reload_pacer.hpp"
#include "flags/resolve.hpp"

namespace switchyard::flags {

namespace {

// A million tenants' checks take milliseconds: on a reload's thread, paced (reload_pacer.hpp).
class PauseEvery {
  public:
    void operator()() {
        constexpr std::uint32_t kTenantsAStep = 1024;
        if (++visited_ % kTenantsAStep == 0 && pacer_) pacer_->pause_point();
    }

  private:
    ReloadPacer* const pacer_ = ReloadPacer::on_this_thread();
    std::uint32_t visited_ = 0;
};

std::optional<Stage> entry_stage(const FlagSnapshot* flags, std::string_view tenant) {
    if (!flags) return std::nullopt;
    if (auto entry = flags->find(tenant)) return entry->stage;
    return std::nullopt;
}

// What the tenant would get without its own entry: the cohort, else the default.
Stage fallback_stage(const FlagSnapshot& flags, std::string_view tenant) {
    return flags.rollout().contains(tenant) ? flags.rollout().stage() : flags.default_stage();
}

std::string stage_name(std::optional<Stage> stage) {
    return stage ? std::string(to_string(*stage)) : std::string("(no entry)");
}

// Final by the cohort or the default is final too: a new entry may not take it back. Only
// when `before` makes anyone final that way is every entry of `after` worth a look (a million of
// them in a big document).
void check_new_entries_of_final_tenants(const FlagSnapshot& before, const FlagSnapshot& after,
                                        TransitionReport& report) {
    const bool final_without_entry =
        before.default_stage() == Stage::final_ ||
        (before.rollout().stage() == Stage::final_ && before.rollout().percent_hundredths() > 0);
    if (!final_without_entry) return;
    PauseEvery pause;
    after.tenants().for_each([&](const TenantFlag& flag) {
        pause();
        if (flag.stage == Stage::final_ || before.find(flag.id)) return;  // entries: elsewhere
        const auto was_final = resolve(before, flag.id);
        if (was_final.stage != Stage::final_) return;
        report.refused.push_back("tenants." + std::string(flag.id) + ": is final (by " +
                                 (was_final.why == Why::cohort ? "the rollout" : "default_stage") +
                                 ") and cannot be moved to " + stage_name(flag.stage) +
                                 ": legacy no longer has its data (not even with force)");
    });
}

void check_final_rules(const FlagSnapshot* before, const FlagSnapshot& after,
                       TransitionReport& report) {
    if (!before) return;
    PauseEvery pause;
    before->tenants().for_each([&](const TenantFlag& flag) {
        pause();
        if (flag.stage != Stage::final_) return;
        const auto now = entry_stage(&after, flag.id);
        if (now != Stage::final_) {
            report.refused.push_back("tenants." + std::string(flag.id) +
                                     ": is final and cannot be " +
                                     (now ? "moved to " + stage_name(now) : "removed") +
                                     ": legacy no longer has its data (not even with force)");
        }
    });
    check_new_entries_of_final_tenants(*before, after, report);
    const auto& was = before->rollout();
    const auto& is = after.rollout();
    if (was.stage() == Stage::final_ && was.percent_hundredths() > 0 &&
        (is.stage() != Stage::final_ || is.percent_hundredths() < was.percent_hundredths() ||
         is.salt() != was.salt())) {
        report.refused.push_back(
            "rollout: the cohort is final; lowering its percent or changing its stage or salt "
            "would move final tenants back (not even with force)");
    }
    // Outside a non-final cohort everyone is final by default: the cohort may only shrink.
    if (before->default_stage() == Stage::final_ && is.stage() != Stage::final_ &&
        is.percent_hundredths() > 0 &&
        (is.salt() != was.salt() || is.percent_hundredths() > was.percent_hundredths())) {
        report.refused.push_back(
            "rollout: tenants outside the cohort are final by default_stage; raising its percent "
            "or changing its salt would move some of them to " +
            stage_name(is.stage()) + " (not even with force)");
    }
    if (before->default_stage() == Stage::final_ && after.default_stage() != Stage::final_) {
        report.refused.push_back("default_stage: is final and cannot change (not even with force)");
    }
}

}  // namespace

std::string describe_door(const DoorClosing& door) {
    std::string text = "door closed " + utc_time(door.unix_ms) + " by request " + door.request_id;
    if (!door.method.empty()) text += " (" + door.method + " " + door.path;
    if (!door.instance.empty()) text += (door.method.empty() ? " (on " : " on ") + door.instance;
    if (!door.method.empty() || !door.instance.empty()) text += ")";
    return text;
}

std::optional<Stage> explicit_move_below_new(const FlagSnapshot* before, const FlagSnapshot& after,
                                             std::string_view tenant) {
    const auto was = entry_stage(before, tenant);
    const auto now = entry_stage(&after, tenant);
    if (before && was == now) return std::nullopt;  // not an explicit change
    if (now) return *now < Stage::new_ ? now : std::nullopt;
    if (was && *was >= Stage::new_ && fallback_stage(after, tenant) < Stage::new_) {
        return fallback_stage(after, tenant);
    }
    return std::nullopt;
}

TransitionReport check_transition(const FlagSnapshot* before, const FlagSnapshot& after,
                                  const DoorSet& doors, const ForceReasons& force_reason) {
    TransitionReport report;
    check_final_rules(before, after, report);
    doors.for_each([&](const DoorClosing& door) {
        const std::string_view tenant = door.tenant;
        const auto was = entry_stage(before, tenant);
        const auto now = entry_stage(&after, tenant);
        if (const auto lands_on = explicit_move_below_new(before, after, tenant)) {
            const auto reason = force_reason ? force_reason(tenant) : std::string_view{};
            if (reason.empty()) {
                report.refused.push_back(
                    "tenants." + std::string(tenant) + ": cannot go back to " +
                    std::string(to_string(*lands_on)) + ": " + describe_door(door) +
                    "; the new side may hold writes legacy never saw, and only a forced move "
                    "(with a reason) accepts losing them");
            } else {
                report.forced.push_back({std::string(tenant), stage_name(was),
                                         now ? stage_name(now) : "(removed)", std::string(reason),
                                         "flag-file"});
            }
            return;
        }
        // Implicit: no entry on either side, and the cohort/default moved it below new.
        if (before && !was && !now && fallback_stage(after, tenant) < Stage::new_ &&
            fallback_stage(*before, tenant) != fallback_stage(after, tenant)) {
            report.held.emplace_back(tenant);
        }
    });
    return report;
}

}  // namespace switchyard::flags
