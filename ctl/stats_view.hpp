#pragma once
// Human text for GET /v1/stats (the shape of stats/stats_json.hpp): per period, a table of the
// sides and one of the stages, then one verdict line comparing new with legacy, so on-call sees
// at a glance whether new is slower or failing. Pure.
#include <nlohmann/json.hpp>
#include <string>

namespace switchyard::ctl {

std::string stats_text(const nlohmann::json& body);

// "verdict (last minute): new is healthy and slower: 5xx 0.0% on new vs 0.0% on legacy; new p99
// is 1.8x legacy's (12.0ms vs 6.6ms)". The last minute when both sides had requests in it,
// else since start; says so when there is nothing to compare.
std::string stats_verdict(const nlohmann::json& body);

// 0.412 → "0.41ms", 12.34 → "12.3ms", 250.2 → "250ms"; null → "-".
std::string milliseconds_text(const nlohmann::json& value);

}  // namespace switchyard::ctl
