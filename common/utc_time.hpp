#pragma once
// Times for people and logs: "2026-11-23T10:15:02Z", or with milliseconds
// "2026-11-23T10:15:02.123Z" where entries made in the same second must stay in order.
#include <cstdint>
#include <string>

namespace switchyard {

enum class Precision { seconds, milliseconds };

std::string utc_time(std::int64_t unix_ms, Precision precision = Precision::seconds);

}  // namespace switchyard
