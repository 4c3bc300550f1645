#include "dynamo/http_message.hpp"

#include <strings.h>

namespace switchyard::dynamo {

std::string HttpResponse::header(std::string_view name) const {
    for (const auto& entry : headers) {
        if (entry.name.size() == name.size() &&
            strncasecmp(entry.name.data(), name.data(), name.size()) == 0) {
            return entry.value;
        }
    }
    return {};
}

}  // namespace switchyard::dynamo
