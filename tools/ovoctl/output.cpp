#include "tools/ovoctl/output.hpp"

#include <algorithm>
#include <ostream>

namespace ovo::cli {

void print_table(std::ostream& out, const std::vector<std::string>& headers,
                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& header : headers) widths.push_back(header.size());
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], row[i].size());
  auto print_row = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      out << cells[i];
      if (i + 1 < cells.size()) out << std::string(widths[i] - cells[i].size() + 2, ' ');
    }
    out << "\n";
  };
  print_row(headers);
  for (const auto& row : rows) print_row(row);
}

std::string slot_ranges(const std::vector<int>& slots) {
  if (slots.empty()) return "-";
  auto sorted = slots;
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
    if (!out.empty()) out += ",";
    out += std::to_string(sorted[i]);
    if (j > i) out += "-" + std::to_string(sorted[j]);
    i = j + 1;
  }
  return out;
}

std::string comma_list(const std::vector<std::string>& items) {
  if (items.empty()) return "-";
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

nlohmann::json node_json(const node_info& node) {
  return {{"Name", node.name},
          {"State", node.active ? "ACTIVE" : "INACTIVE"},
          {"HashRange", node.hash_range},
          {"Twins", node.twins},
          {"Host", node.host},
          {"Port", node.port},
          {"APIHost", node.api_host},
          {"APIPort", node.api_port},
          {"Leaving", node.leaving},
          {"Witness", node.witness}};
}

}  // namespace ovo::cli
