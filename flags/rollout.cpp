#include "flags/rollout.hpp"

#include <utility>

#include "flags/hash.hpp"
#include "flags/percent.hpp"

namespace switchyard::flags {
namespace {

constexpr std::uint64_t salt_state(std::string_view salt) noexcept {
    return fnv1a64(":", fnv1a64(salt));
}

std::uint32_t bucket_from_state(std::uint64_t salt_state, std::string_view tenant) noexcept {
    return static_cast<std::uint32_t>(fmix64(fnv1a64(tenant, salt_state)) % kHundredthsInWhole);
}

}  // namespace

std::uint32_t bucket(std::string_view salt, std::string_view tenant) noexcept {
    return bucket_from_state(salt_state(salt), tenant);
}

Rollout::Rollout(Stage stage, std::uint32_t percent_hundredths, std::string salt)
    : stage_(stage),
      percent_hundredths_(percent_hundredths),
      salt_(std::move(salt)),
      salt_state_(salt_state(salt_)) {}

bool Rollout::contains(std::string_view tenant) const noexcept {
    return percent_hundredths_ > 0 && bucket_from_state(salt_state_, tenant) < percent_hundredths_;
}

}  // namespace switchyard::flags
