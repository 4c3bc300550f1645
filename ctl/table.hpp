#pragma once
// Aligned plain-text tables for the on-call CLI: pure, so the layout is unit-tested without a
// server. Columns are two spaces apart; no line ends in spaces (diffs and golden files stay clean).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::ctl {

enum class Align { left, right };

class Table {
  public:
    // No headers: a plain list (for "key  value" views). `align` may be shorter than the
    // columns; the rest are left-aligned.
    explicit Table(std::vector<std::string> headers = {}, std::vector<Align> align = {});

    // A row with fewer cells than columns is padded with empty ones.
    void add_row(std::vector<std::string> cells);
    std::size_t rows() const noexcept { return rows_.size(); }

    std::string render() const;

  private:
    std::vector<std::string> headers_;
    std::vector<Align> align_;
    std::vector<std::vector<std::string>> rows_;
};

// Columns on a terminal, not bytes: "→" is one.
std::size_t display_width(std::string_view text) noexcept;

}  // namespace switchyard::ctl
