#pragma once
// The migration ladder's rungs and the two sides a request can reach (ARCHITECTURE.md).
#include <cstdint>
#include <optional>
#include <string_view>

namespace switchyard {

// Ordered: each rung sends more to the new side. `new_`/`final_` because `new` is a keyword.
enum class Stage : std::uint8_t { legacy, shadow, reads, new_, final_ };

enum class Side : std::uint8_t { legacy, new_ };

std::string_view to_string(Stage stage) noexcept;
std::string_view to_string(Side side) noexcept;
std::optional<Stage> parse_stage(std::string_view text) noexcept;
std::optional<Side> parse_side(std::string_view text) noexcept;

// Who owns a tenant's writes at this stage (ARCHITECTURE.md, "Owner").
constexpr Side owner_of_writes(Stage stage) noexcept {
    return stage >= Stage::new_ ? Side::new_ : Side::legacy;
}

}  // namespace switchyard
