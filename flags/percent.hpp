#pragma once
// Percentages as operators write them (5, 12.5, 0.01) kept as whole hundredths, so the request
// path compares integers and 0.01 % is the finest split anyone can ask for.
#include <cstdint>

#include "common/result.hpp"

namespace switchyard::flags {

inline constexpr std::uint32_t kHundredthsInWhole = 10000;  // 100.00 %

// The error says what is wrong, without a place: callers prefix the path.
Result<std::uint32_t> percent_to_hundredths(double percent);

}  // namespace switchyard::flags
