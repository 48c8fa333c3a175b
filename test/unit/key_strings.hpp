#pragma once
// Packed keys as strings, for comparing them in a test.

#include "core/packed_keys.hpp"

#include <string>
#include <vector>

inline std::vector<std::string> key_strings(const ovo::packed_keys& keys) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < keys.size(); ++i) out.emplace_back(keys[i]);
  return out;
}
