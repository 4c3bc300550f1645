#pragma once
// Tenant ids from the Host header: "{tenant}.example.com" matches "acme.example.com:8443".
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace switchyard::routing {

// Letters, digits, '-' and '.' only (empty is true): what configured host names may hold.
bool is_host_name(std::string_view text) noexcept;

// "acme.example.com:8443" → "acme.example.com"; "[::1]:80" → "[::1]" (RFC 9110 section 7.2).
std::string_view host_without_port(std::string_view host) noexcept;

class HostPattern {
  public:
    // Exactly one "{tenant}", no port; the rest is matched case-insensitively.
    static Result<HostPattern> parse(std::string_view pattern);

    // The tenant's label, one DNS label as the client wrote it: callers lowercase it, since host
    // names are case-insensitive (RFC 4343) and ACME.example.com is acme's. False when the host
    // does not match; the id's validity is the caller's rule.
    bool match(std::string_view host, std::string_view& label) const noexcept;

    const std::string& pattern() const noexcept { return pattern_; }

  private:
    std::string pattern_;
    std::string before_;  // lowercased literal before "{tenant}"
    std::string after_;   // lowercased literal after it
};

}  // namespace switchyard::routing
