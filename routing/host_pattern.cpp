#include "routing/host_pattern.hpp"

#include <algorithm>

#include "routing/ascii.hpp"

namespace switchyard::routing {
namespace {

constexpr std::string_view kPlaceholder = "{tenant}";

bool ascii_istarts_with(std::string_view text, std::string_view prefix) noexcept {
    return text.size() >= prefix.size() && ascii_iequals(text.substr(0, prefix.size()), prefix);
}

bool ascii_iends_with(std::string_view text, std::string_view suffix) noexcept {
    return text.size() >= suffix.size() &&
           ascii_iequals(text.substr(text.size() - suffix.size()), suffix);
}

}  // namespace

bool is_host_name(std::string_view text) noexcept {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.';
    });
}

std::string_view host_without_port(std::string_view host) noexcept {
    if (!host.empty() && host.front() == '[') {  // IPv6 literal: the port follows the ']'
        const auto close = host.find(']');
        return close == std::string_view::npos ? host : host.substr(0, close + 1);
    }
    return host.substr(0, host.find(':'));
}

Result<HostPattern> HostPattern::parse(std::string_view pattern) {
    const auto at = pattern.find(kPlaceholder);
    if (at == std::string_view::npos) return Error{"must contain \"{tenant}\""};
    const std::string_view before = pattern.substr(0, at);
    const std::string_view after = pattern.substr(at + kPlaceholder.size());
    if (after.find(kPlaceholder) != std::string_view::npos) {
        return Error{"must contain \"{tenant}\" exactly once"};
    }
    if (!is_host_name(before) || !is_host_name(after)) {
        return Error{"may hold only letters, digits, '-', '.' and \"{tenant}\""};
    }
    HostPattern parsed;
    parsed.pattern_ = pattern;
    parsed.before_ = ascii_lowered(before);
    parsed.after_ = ascii_lowered(after);
    return parsed;
}

bool HostPattern::match(std::string_view host, std::string_view& label) const noexcept {
    host = host_without_port(host);
    if (host.size() <= before_.size() + after_.size()) return false;
    if (!ascii_istarts_with(host, before_) || !ascii_iends_with(host, after_)) return false;
    label = host.substr(before_.size(), host.size() - before_.size() - after_.size());
    return label.find('.') == std::string_view::npos;  // one label, not a subtree
}

}  // namespace switchyard::routing
