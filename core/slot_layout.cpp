#include "core/slot_layout.hpp"

#include "core/slot_hash.hpp"

namespace ovo {

std::vector<std::vector<int>> balanced_layout(std::size_t node_count) {
  std::vector<std::vector<int>> layout(node_count);
  if (node_count == 0) return layout;
  const std::size_t base = slot_count / node_count, extra = slot_count % node_count;
  int next = 0;
  for (std::size_t node = 0; node < node_count; ++node) {
    const std::size_t size = base + (node < extra ? 1 : 0);
    for (std::size_t i = 0; i < size; ++i) layout[node].push_back(next++);
  }
  return layout;
}

}  // namespace ovo
