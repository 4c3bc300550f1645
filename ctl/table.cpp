#include "ctl/table.hpp"

#include <algorithm>

namespace switchyard::ctl {

std::size_t display_width(std::string_view text) noexcept {
    // UTF-8: every byte but a continuation byte (10xxxxxx) starts a character.
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

Table::Table(std::vector<std::string> headers, std::vector<Align> align)
    : headers_(std::move(headers)), align_(std::move(align)) {}

void Table::add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }

std::string Table::render() const {
    std::size_t columns = headers_.size();
    for (const auto& row : rows_) columns = std::max(columns, row.size());
    std::vector<std::size_t> widths(columns, 0);
    auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], display_width(row[i]));
        }
    };
    measure(headers_);
    for (const auto& row : rows_) measure(row);

    std::string out;
    auto emit = [&](const std::vector<std::string>& row) {
        std::string line;
        for (std::size_t i = 0; i < columns; ++i) {
            const std::string_view cell = i < row.size() ? std::string_view(row[i]) : "";
            const auto padding = widths[i] - display_width(cell);
            if (i > 0) line += "  ";
            if (i < align_.size() && align_[i] == Align::right) {
                line.append(padding, ' ');
                line += cell;
            } else {
                line += cell;
                line.append(padding, ' ');
            }
        }
        line.erase(line.find_last_not_of(' ') + 1);
        out += line;
        out += '\n';
    };
    if (!headers_.empty()) emit(headers_);
    for (const auto& row : rows_) emit(row);
    return out;
}

}  // namespace switchyard::ctl
