#pragma once
// HTTP header fields as plain strings, in arrival order, looked up case-insensitively (RFC 9110
// 5.1): what a test asserts about a message without naming Beast.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard::test {

bool iequals(std::string_view a, std::string_view b) noexcept;

class HeaderList {
  public:
    using Field = std::pair<std::string, std::string>;

    HeaderList() = default;
    HeaderList(std::initializer_list<Field> fields) : fields_(fields) {}

    void add(std::string name, std::string value);
    // The first value of `name`, if any.
    std::optional<std::string> get(std::string_view name) const;
    // Every value of `name`, in order (repeated fields such as X-Forwarded-For).
    std::vector<std::string> all(std::string_view name) const;
    bool has(std::string_view name) const { return get(name).has_value(); }
    // The first value, or "" when absent: for assertions that compare text.
    std::string value_or_empty(std::string_view name) const { return get(name).value_or(""); }

    const std::vector<Field>& fields() const noexcept { return fields_; }
    bool empty() const noexcept { return fields_.empty(); }
    // "Name: value" lines, for failure messages.
    std::string describe() const;

  private:
    std::vector<Field> fields_;
};

}  // namespace switchyard::test
