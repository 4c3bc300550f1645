#pragma once
// Routing test helpers: configs, flag documents and snapshots from JSON text.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "flags/flag_document.hpp"
#include "routing/routing_config.hpp"
#include "routing/snapshot.hpp"
#include "test_request.hpp"

namespace switchyard::routing::testing {

inline std::shared_ptr<const RoutingConfig> routing_from(std::string_view config_json) {
    auto parsed = parse_routing_config(nlohmann::json::parse(config_json));
    EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
    return parsed.ok() ? *parsed : nullptr;
}

inline std::shared_ptr<const flags::FlagSnapshot> flags_from(std::string_view document) {
    auto parsed = flags::parse_flag_document(document);
    EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
    return parsed.ok() ? *parsed : nullptr;
}

inline Snapshot snapshot_from(std::string_view config_json, std::string_view flag_document) {
    return Snapshot{flags_from(flag_document), routing_from(config_json), 1, nullptr};
}

}  // namespace switchyard::routing::testing
