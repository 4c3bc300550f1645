#pragma once
// The cohort rollout (ARCHITECTURE.md, "Cohort rollout"): tenants without an entry of their own
// whose bucket is below the percentage follow the rollout's stage.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/stage.hpp"

namespace switchyard::flags {

// A tenant's place in 0..9999 (0.00–99.99 %): fmix64(fnv1a64(salt + ":" + tenant)) % 10000.
// Stable forever: changing it would move tenants between sides, so tests pin known values.
std::uint32_t bucket(std::string_view salt, std::string_view tenant) noexcept;

class Rollout {
  public:
    Rollout() = default;  // 0 %: the cohort is empty
    Rollout(Stage stage, std::uint32_t percent_hundredths, std::string salt);

    Stage stage() const noexcept { return stage_; }
    std::uint32_t percent_hundredths() const noexcept { return percent_hundredths_; }
    const std::string& salt() const noexcept { return salt_; }

    // bucket < percent: raising the percentage only ever adds tenants.
    bool contains(std::string_view tenant) const noexcept;

  private:
    Stage stage_ = Stage::legacy;
    std::uint32_t percent_hundredths_ = 0;
    std::string salt_;
    std::uint64_t salt_state_ = 0;  // FNV state after "salt:": a lookup hashes only the tenant
};

}  // namespace switchyard::flags
