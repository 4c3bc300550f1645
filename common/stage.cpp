#include "common/stage.hpp"

#include <array>

namespace switchyard {
namespace {
constexpr std::array<std::string_view, 5> kStageNames{"legacy", "shadow", "reads", "new", "final"};
constexpr std::array<std::string_view, 2> kSideNames{"legacy", "new"};
}  // namespace

std::string_view to_string(Stage stage) noexcept {
    return kStageNames[static_cast<std::size_t>(stage)];
}

std::string_view to_string(Side side) noexcept {
    return kSideNames[static_cast<std::size_t>(side)];
}

std::optional<Stage> parse_stage(std::string_view text) noexcept {
    for (std::size_t i = 0; i < kStageNames.size(); ++i) {
        if (kStageNames[i] == text) return static_cast<Stage>(i);
    }
    return std::nullopt;
}

std::optional<Side> parse_side(std::string_view text) noexcept {
    for (std::size_t i = 0; i < kSideNames.size(); ++i) {
        if (kSideNames[i] == text) return static_cast<Side>(i);
    }
    return std::nullopt;
}

}  // namespace switchyard
