#pragma once
// How ovoctl prints: aligned tables for people, one JSON document per line for machines.

#include "core/node_info.hpp"

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace ovo::cli {

/// Prints rows under headers, each column as wide as its widest cell.
void print_table(std::ostream& out, const std::vector<std::string>& headers,
                 const std::vector<std::vector<std::string>>& rows);

/// Slots as ranges: {0,1,2,5} -> "0-2,5"; "-" when empty.
std::string slot_ranges(const std::vector<int>& slots);

/// Joins `items` with ","; "-" when empty.
std::string comma_list(const std::vector<std::string>& items);

/// A node of the topology as JSON (the same fields as the REST API, plus addresses).
nlohmann::json node_json(const node_info& node);

}  // namespace ovo::cli
