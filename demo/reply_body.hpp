#pragma once
// The JSON a demo backend answers: which side, what it was asked, for which tenant.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::demo {

struct AskedFor {
    std::string_view method;
    std::string_view target;
    std::optional<std::string_view> tenant;      // X-Tenant-Id
    std::optional<std::string_view> request_id;  // X-Request-Id
};

// {"side":…,"method":…,"path":…,"tenant":…|null,"request_id":…|null}, padded with a "pad"
// field to `body_bytes` when that is longer.
std::string reply_body(std::string_view side, const AskedFor& asked, std::size_t body_bytes);

}  // namespace switchyard::demo
