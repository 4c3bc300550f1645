#pragma once
// Tenant ids from the path: "/t/{tenant}/" matches "/t/acme/orders?x=1", and with strip the
// upstream sees "/orders?x=1".
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace switchyard::routing {

class PathPattern {
  public:
    struct Match {
        std::string_view tenant;
        // What follows the prefix: "/orders?x=1", "?x" or "" (stripping makes the last two
        // "/?x" and "/").
        std::string_view rest;
    };

    // Starts with '/'; exactly one "{tenant}", a whole path segment.
    static Result<PathPattern> parse(std::string_view pattern);

    // Paths are case-sensitive (RFC 3986 section 6.2.2.1); `target` is origin-form.
    bool match(std::string_view target, Match& match) const noexcept;

    const std::string& pattern() const noexcept { return pattern_; }

  private:
    std::string pattern_;
    std::string before_;  // "/t/": up to the placeholder, ends with '/'
    std::string after_;   // "" or "/more": after it, without a trailing '/'
};

}  // namespace switchyard::routing
