#pragma once
#include <cstddef>
#include <vector>

namespace ovo {

/// The balanced layout of docs/protocol.md: node i (in join order) gets a contiguous block of
/// slot_count / n slots, the first slot_count % n nodes one extra. Returns one slot list per node.
std::vector<std::vector<int>> balanced_layout(std::size_t node_count);

/// Which of `shard_count` local shards holds `slot`: slots are dealt round-robin so that every
/// shard holds whole slots (what makes moving a slot between nodes cheap).
inline std::size_t shard_of_slot(int slot, std::size_t shard_count) {
  return static_cast<std::size_t>(slot) % shard_count;
}

}  // namespace ovo
