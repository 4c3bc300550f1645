#pragma once
// One validated flag document, immutable once built and shared by every request thread through
// std::shared_ptr<const FlagSnapshot>. A reload builds a new one; nothing here ever changes.
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

#include "common/stage.hpp"
#include "flags/rollout.hpp"
#include "flags/tenant_table.hpp"

namespace switchyard::flags {

class FlagSnapshot {
  public:
    FlagSnapshot() = default;  // the empty document: everyone on legacy
    FlagSnapshot(Stage default_stage, Rollout rollout, TenantTable tenants)
        : default_stage_(default_stage),
          rollout_(std::move(rollout)),
          tenants_(std::move(tenants)) {}

    Stage default_stage() const noexcept { return default_stage_; }
    const Rollout& rollout() const noexcept { return rollout_; }

    // O(1), no allocation: the request path calls this for every tenant request.
    std::optional<TenantFlag> find(std::string_view tenant) const noexcept {
        TenantFlag flag{};
        if (!tenants_.find(tenant, flag)) return std::nullopt;
        return flag;
    }
    std::size_t tenant_count() const noexcept { return tenants_.size(); }
    const TenantTable& tenants() const noexcept { return tenants_; }

  private:
    Stage default_stage_ = Stage::legacy;
    Rollout rollout_;
    TenantTable tenants_;
};

}  // namespace switchyard::flags
