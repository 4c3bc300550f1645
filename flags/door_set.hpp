#pragma once
// The tenants whose one-way door is closed: immutable, shared by request threads inside the
// routing snapshot. A closing makes a new set; the big base is shared between sets and only
// rebuilt when the small delta of recent closings grows past a bound, so a closing costs
// O(delta) and a lookup two hash probes, with a million closed doors or none.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace switchyard::flags {

struct DoorClosing {
    std::string tenant;
    std::int64_t unix_ms = 0;
    std::string request_id;
    std::string instance;
    std::string method;
    std::string path;
};

// An operator's forced move of a closed-door tenant back below new: it reopens the door.
struct ForcedMove {
    std::string tenant;
    std::string from;  // stage name, or "(cohort/default)" for an entry removed
    std::string to;
    std::string reason;
    std::string by;  // "flag-file", or the operator's token name
};

class DoorSet {
  public:
    static constexpr std::size_t kMaxDelta = 512;

    const DoorClosing* find(std::string_view tenant) const noexcept;
    bool closed(std::string_view tenant) const noexcept { return find(tenant) != nullptr; }
    std::size_t size() const noexcept;

    // A new set with `added`; tenants already closed keep their first closing.
    std::shared_ptr<const DoorSet> with(const std::vector<DoorClosing>& added) const;
    // A new set without `tenant` (a forced move reopened its door). Rare: rebuilds the base.
    std::shared_ptr<const DoorSet> without(std::string_view tenant) const;

    template <typename Visit>
    void for_each(Visit&& visit) const {
        if (base_)
            for (const auto& [_, closing] : *base_) visit(closing);
        for (const auto& [_, closing] : delta_) visit(closing);
    }

  private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    using Map = std::unordered_map<std::string, DoorClosing, Hash, std::equal_to<>>;

    std::shared_ptr<const Map> base_;
    Map delta_;
};

}  // namespace switchyard::flags
