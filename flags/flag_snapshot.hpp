#pragma once
// One validated flag document, immutable once built and shared by every request thread through
// std::shared_ptr<const FlagSnapshot>. A reload builds a new one; nothing here ever changes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/stage.hpp"
#include "flags/rollout.hpp"
#include "flags/tenant_table.hpp"

namespace switchyard::flags {

class FlagSnapshot {
  public:
    // tenant → the reason an operator gave to force its move past a closed door.
    using ForceReasons = std::unordered_map<std::string, std::string>;

    FlagSnapshot() = default;  // the empty document: everyone on legacy
    FlagSnapshot(Stage default_stage, Rollout rollout, TenantTable tenants,
                 ForceReasons force_reasons = {},
                 std::optional<std::uint64_t> content_hash = std::nullopt)
        : default_stage_(default_stage),
          rollout_(std::move(rollout)),
          tenants_(std::move(tenants)),
          force_reasons_(std::move(force_reasons)),
          content_hash_(content_hash) {}

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

    // Off the request path (door checks): empty when the document does not force `tenant`.
    std::string_view force_reason(std::string_view tenant) const {
        const auto it = force_reasons_.find(std::string(tenant));
        return it == force_reasons_.end() ? std::string_view{} : std::string_view(it->second);
    }
    const ForceReasons& force_reasons() const noexcept { return force_reasons_; }

    // flags/text_digest.hpp's content_hash() of the text this was parsed from; none when built
    // another way (a table's items). Equal hashes: the same document, so a reload of it has nothing
    // to apply.
    std::optional<std::uint64_t> content_hash() const noexcept { return content_hash_; }

  private:
    Stage default_stage_ = Stage::legacy;
    Rollout rollout_;
    TenantTable tenants_;
    ForceReasons force_reasons_;
    std::optional<std::uint64_t> content_hash_;
};

}  // namespace switchyard::flags
