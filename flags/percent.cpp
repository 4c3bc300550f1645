#include "flags/percent.hpp"

#include <cmath>
#include <string>

namespace switchyard::flags {

Result<std::uint32_t> percent_to_hundredths(double percent) {
    if (!(percent >= 0.0 && percent <= 100.0)) {  // written so that NaN fails too
        return Error{"must be between 0 and 100"};
    }
    const double scaled = percent * 100.0;
    const double whole = std::round(scaled);
    // 0.29 * 100 is 28.999999999999996 in binary; anything further off was written finer.
    if (std::fabs(scaled - whole) > 1e-9) return Error{"is finer than 0.01"};
    return static_cast<std::uint32_t>(whole);
}

}  // namespace switchyard::flags
