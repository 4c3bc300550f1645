#include "dynamo/sigv4.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <utility>

namespace switchyard::dynamo::sigv4 {
namespace {

bool is_unreserved(unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~';
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Trims the ends and folds each run of spaces into one, as the canonical header value wants.
std::string trim_and_fold(std::string_view value) {
    std::string out;
    bool in_space = false;
    for (const char c : value) {
        if (c == ' ' || c == '\t') {
            in_space = !out.empty();
            continue;
        }
        if (in_space) out.push_back(' ');
        in_space = false;
        out.push_back(c);
    }
    return out;
}

// Header names, lowercased and sorted, each with its values in arrival order.
std::map<std::string, std::vector<std::string>> grouped(const std::vector<Header>& headers) {
    std::map<std::string, std::vector<std::string>> groups;
    for (const auto& header : headers) {
        groups[lowercase(header.name)].push_back(trim_and_fold(header.value));
    }
    return groups;
}

}  // namespace

std::string amz_date(std::chrono::system_clock::time_point when) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[17];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
    return text;
}

std::string uri_encode(std::string_view text, bool keep_slash) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_unreserved(c) || (keep_slash && c == '/')) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kDigits[c >> 4]);
            out.push_back(kDigits[c & 0x0f]);
        }
    }
    return out;
}

std::string canonical_uri(std::string_view path) {
    return path.empty() ? std::string("/") : uri_encode(path, true);
}

std::string canonical_query(std::string_view query) {
    std::vector<std::pair<std::string, std::string>> pairs;
    while (!query.empty()) {
        const auto end = query.find('&');
        const auto pair = query.substr(0, end);
        if (!pair.empty()) {
            const auto equals = pair.find('=');
            pairs.emplace_back(std::string(pair.substr(0, equals)),
                               equals == std::string_view::npos
                                   ? std::string()
                                   : std::string(pair.substr(equals + 1)));
        }
        query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
    }
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const auto& [name, value] : pairs) {
        if (!out.empty()) out.push_back('&');
        out += name + "=" + value;
    }
    return out;
}

std::string canonical_headers(const std::vector<Header>& headers) {
    std::string out;
    for (const auto& [name, values] : grouped(headers)) {
        out += name;
        out.push_back(':');
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i > 0) out.push_back(',');
            out += values[i];
        }
        out.push_back('\n');
    }
    return out;
}

std::string signed_headers(const std::vector<Header>& headers) {
    std::string out;
    for (const auto& group : grouped(headers)) {
        if (!out.empty()) out.push_back(';');
        out += group.first;
    }
    return out;
}

std::string canonical_request(const Request& request) {
    return request.method + "\n" + canonical_uri(request.path) + "\n" +
           canonical_query(request.query) + "\n" + canonical_headers(request.headers) + "\n" +
           signed_headers(request.headers) + "\n" + request.payload_sha256_hex;
}

std::string credential_scope(const Scope& scope) {
    return scope.date + "/" + scope.region + "/" + scope.service + "/aws4_request";
}

std::string string_to_sign(std::string_view amz_date, const Scope& scope,
                           std::string_view canonical_request) {
    return std::string(kAlgorithm) + "\n" + std::string(amz_date) + "\n" + credential_scope(scope) +
           "\n" + sha256_hex(canonical_request);
}

Digest signing_key(std::string_view secret_access_key, const Scope& scope) {
    const std::string first = "AWS4" + std::string(secret_access_key);
    const auto* first_bytes = reinterpret_cast<const std::uint8_t*>(first.data());
    const Digest date_key = hmac_sha256({first_bytes, first.size()}, scope.date);
    const Digest region_key = hmac_sha256(date_key, scope.region);
    const Digest service_key = hmac_sha256(region_key, scope.service);
    return hmac_sha256(service_key, "aws4_request");
}

std::string signature(const Digest& signing_key, std::string_view string_to_sign) {
    return to_hex(hmac_sha256(signing_key, string_to_sign));
}

std::string authorization(std::string_view access_key_id, const Scope& scope,
                          std::string_view signed_headers, std::string_view signature) {
    return std::string(kAlgorithm) + " Credential=" + std::string(access_key_id) + "/" +
           credential_scope(scope) + ", SignedHeaders=" + std::string(signed_headers) +
           ", Signature=" + std::string(signature);
}

Signed sign(const Request& request, std::string_view amz_date, const Scope& scope,
            std::string_view access_key_id, std::string_view secret_access_key) {
    Signed out;
    out.canonical_request = canonical_request(request);
    out.string_to_sign = string_to_sign(amz_date, scope, out.canonical_request);
    out.signature = signature(signing_key(secret_access_key, scope), out.string_to_sign);
    out.authorization =
        authorization(access_key_id, scope, signed_headers(request.headers), out.signature);
    return out;
}

}  // namespace switchyard::dynamo::sigv4
