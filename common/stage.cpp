#include "common/stage.hpp"

#include <array>
#include <cstring>

namespace switchyard {
namespace {

constexpr std::array<std::string_view, 5> kStageNames{"legacy", "shadow", "reads", "new", "final"};
constexpr std::array<std::string_view, 2> kSideNames{"legacy", "new"};

// `text` is `name`: a compare of a known size, inlined rather than a call to memcmp (a
// million-tenant flag document asks parse_stage() a million times).
template <std::size_t size>
bool spells(std::string_view text, const char (&name)[size]) noexcept {
    return text.size() == size - 1 && std::memcmp(text.data(), name, size - 1) == 0;
}

}  // namespace

std::string_view to_string(Stage stage) noexcept {
    return kStageNames[static_cast<std::size_t>(stage)];
}

std::string_view to_string(Side side) noexcept {
    return kSideNames[static_cast<std::size_t>(side)];
}

std::optional<Stage> parse_stage(std::string_view text) noexcept {
    if (spells(text, "new")) return Stage::new_;
    if (spells(text, "legacy")) return Stage::legacy;
    if (spells(text, "shadow")) return Stage::shadow;
    if (spells(text, "reads")) return Stage::reads;
    if (spells(text, "final")) return Stage::final_;
    return std::nullopt;
}

std::optional<Side> parse_side(std::string_view text) noexcept {
    for (std::size_t i = 0; i < kSideNames.size(); ++i) {
        if (kSideNames[i] == text) return static_cast<Side>(i);
    }
    return std::nullopt;
}

}  // namespace switchyard
