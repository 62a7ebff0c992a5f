// Internal: the CLI's human-readable and CSV output. A table is aligned in columns (numbers
// right-aligned) for a terminal; CSV follows RFC 4180 (fields quoted only when they hold a
// comma, a quote or a line break; quotes doubled; CRLF-free, one record per "\n" line).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clicktrail::detail {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers);
  // Numeric columns are right-aligned. Rows are cut or padded to the header's width.
  void set_numeric(std::size_t column) {
    if (column < numeric_.size()) numeric_[column] = true;
  }
  void add_row(std::vector<std::string> cells);
  [[nodiscard]] std::string render() const;
  [[nodiscard]] bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<bool> numeric_;
};

// One CSV record followed by "\n".
void append_csv_row(std::string& out, const std::vector<std::string>& cells);

// "1,234,567": counts in stderr summaries.
[[nodiscard]] std::string group_thousands(std::uint64_t n);

// "12.3 MB" (decimal units, one decimal place).
[[nodiscard]] std::string format_bytes(std::uint64_t bytes);

}  // namespace clicktrail::detail
