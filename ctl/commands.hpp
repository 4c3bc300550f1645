#pragma once
// The `switchyard ctl` commands: each builds its admin call and its explanation context, and
// lets the Console send, print and explain. Arguments arrive parsed and checked (ctl.cpp).
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>

#include "ctl/console.hpp"

namespace switchyard::ctl {

struct ChangeArgs {
    std::string reason;
    bool force = false;
    std::string if_match;  // a version from `get`; empty: unconditional
};

struct ListArgs {
    std::size_t limit = 0;  // 0: the server's default
    std::string after;
};

struct SetArgs {
    std::string tenant;
    std::string stage;
    std::optional<std::string> note;
    ChangeArgs change;
};

struct UnpinArgs {
    std::string tenant;
    ChangeArgs change;
};

struct BatchArgs {
    std::string file;  // "-": stdin
    ChangeArgs change;
};

struct RolloutArgs {
    std::string stage;
    double percent = 0;
    std::optional<std::string> salt;
    ChangeArgs change;
};

struct AuditArgs {
    std::size_t limit = 0;  // 0: the server's default
    std::string tenant;
};

ExitCode tenants_list(Console& console, const ListArgs& args);
ExitCode tenants_get(Console& console, const std::string& tenant);
ExitCode tenants_set(Console& console, const SetArgs& args);
ExitCode tenants_unpin(Console& console, const UnpinArgs& args);
// Reads the changes from args.file (or `in` for "-"); a bad file is a usage error, told on `err`.
ExitCode tenants_batch(Console& console, const BatchArgs& args, std::istream& in,
                       std::ostream& err);
ExitCode rollout_get(Console& console);
ExitCode rollout_set(Console& console, const RolloutArgs& args);
ExitCode owner(Console& console, const std::string& tenant, bool quiet);
ExitCode audit(Console& console, const AuditArgs& args);
ExitCode stats(Console& console);

}  // namespace switchyard::ctl
