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
