#include "common/utc_time.hpp"

#include <cstdio>
#include <ctime>

namespace switchyard {

std::string utc_time(std::int64_t unix_ms, Precision precision) {
    const auto seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[40];
    const auto n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    if (precision == Precision::milliseconds) {
        std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(unix_ms % 1000));
    } else {
        std::snprintf(text + n, sizeof text - n, "Z");
    }
    return text;
}

}  // namespace switchyard
