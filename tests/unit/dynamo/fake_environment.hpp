#pragma once
// An Environment over a map, so provider tests set variables without touching the process's.
#include <map>
#include <optional>
#include <string>

#include "dynamo/credentials.hpp"

namespace switchyard::dynamo::test {

inline Environment fake_environment(std::map<std::string, std::string> variables) {
    return
        [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
            const auto it = variables.find(name);
            if (it == variables.end() || it->second.empty()) return std::nullopt;
            return it->second;
        };
}

}  // namespace switchyard::dynamo::test
