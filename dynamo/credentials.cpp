#include "dynamo/credentials.hpp"

#include <cstdlib>
#include <ostream>

#include "dynamo/sigv4.hpp"

namespace switchyard::dynamo {

std::ostream& operator<<(std::ostream& out, const Credentials& credentials) {
    out << "access key " << credentials.access_key_id << " from " << credentials.source
        << ", secret " << credentials.secret_access_key;
    if (!credentials.session_token.empty()) out << ", session token " << credentials.session_token;
    if (credentials.expiration) out << ", expires " << sigv4::amz_date(*credentials.expiration);
    return out;
}

Environment process_environment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr || *value == '\0') return std::nullopt;
        return std::string(value);
    };
}

}  // namespace switchyard::dynamo
