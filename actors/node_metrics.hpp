#pragma once
// Counters any thread may bump without waiting, read by the admin actor (ovoctl status, stats).

#include "core/command.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

namespace ovo {

inline constexpr std::size_t op_count = static_cast<std::size_t>(op::readiness) + 1;

struct node_metrics {
  /// Requests routed since start, by operation.
  std::array<std::atomic<uint64_t>, op_count> requests{};
  /// Replica writes a twin did not confirm in time.
  std::atomic<uint64_t> lagging_writes{0};
  /// Requests sent on to the node owning their slot.
  std::atomic<uint64_t> forwarded{0};
  /// Objects and counters removed because their TTL passed.
  std::atomic<uint64_t> expired_keys{0};
  /// Settings.MaxMemoryBytes (0: no cap); set once before the shards start.
  uint64_t max_memory_bytes = 0;
  /// Objects evicted to keep under Settings.MaxMemoryBytes, and their accounted bytes.
  std::atomic<uint64_t> evictions{0};
  std::atomic<uint64_t> evicted_bytes{0};
  /// GETs of objects answered by the slot's owner: found, not found.
  std::atomic<uint64_t> cache_hits{0};
  std::atomic<uint64_t> cache_misses{0};
  /// Rebalancing passes finished, and what they handed to other nodes.
  std::atomic<uint64_t> rebalance_passes{0};
  std::atomic<uint64_t> slots_moved{0};
  std::atomic<uint64_t> slot_entries_sent{0};
  std::atomic<uint64_t> slot_move_ms{0};
  /// Bytes (wire_size) of the entries every slot push sent: passes, catch-ups, pull answers.
  std::atomic<uint64_t> slot_bytes_sent{0};

  void count(op kind) {
    requests[static_cast<std::size_t>(kind)].fetch_add(1, std::memory_order_relaxed);
  }

  std::vector<uint64_t> request_counts() const {
    std::vector<uint64_t> out;
    for (const auto& n : requests) out.push_back(n.load(std::memory_order_relaxed));
    return out;
  }
};

}  // namespace ovo
