#include "header_list.hpp"

#include <algorithm>
#include <cctype>

namespace switchyard::test {

bool iequals(std::string_view a, std::string_view b) noexcept {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

void HeaderList::add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> HeaderList::get(std::string_view name) const {
    for (const auto& [field_name, value] : fields_) {
        if (iequals(field_name, name)) return value;
    }
    return std::nullopt;
}

std::vector<std::string> HeaderList::all(std::string_view name) const {
    std::vector<std::string> values;
    for (const auto& [field_name, value] : fields_) {
        if (iequals(field_name, name)) values.push_back(value);
    }
    return values;
}

std::string HeaderList::describe() const {
    std::string text;
    for (const auto& [name, value] : fields_) {
        text += name + ": " + value + "\n";
    }
    return text;
}

}  // namespace switchyard::test
