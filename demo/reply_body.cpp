#include "reply_body.hpp"

#include <nlohmann/json.hpp>

namespace switchyard::demo {

namespace {
nlohmann::json optional_text(const std::optional<std::string_view>& value) {
    return value ? nlohmann::json(std::string(*value)) : nlohmann::json(nullptr);
}
}  // namespace

std::string reply_body(std::string_view side, const AskedFor& asked, std::size_t body_bytes) {
    // Insertion order keeps "side" first, as a person reading curl output expects.
    nlohmann::ordered_json body;
    body["side"] = std::string(side);
    body["method"] = std::string(asked.method);
    body["path"] = std::string(asked.target);
    body["tenant"] = optional_text(asked.tenant);
    body["request_id"] = optional_text(asked.request_id);
    // Invalid UTF-8 in a target must not kill the backend: replace it.
    std::string text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    static constexpr std::string_view kPadField = ",\"pad\":\"\"";
    const std::size_t unpadded = text.size() + kPadField.size() + 1;  // + the final newline
    if (body_bytes > unpadded) {
        const std::size_t pad = body_bytes - unpadded;
        text.pop_back();  // the closing brace
        text += ",\"pad\":\"";
        text.append(pad, 'x');
        text += "\"}";
    }
    text += '\n';
    return text;
}

}  // namespace switchyard::demo
