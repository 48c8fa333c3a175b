#pragma once
// What the REST layer counts per request for GET /metrics: answers by operation and status, and
// a latency histogram by operation. Relaxed atomics only: any reactor or actor thread records
// without waiting (the per-request cost is measured by tools/bench/instructions.sh).

#include "actors/node_metrics.hpp"
#include "core/status.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace ovo {

inline constexpr std::size_t status_count =
    static_cast<std::size_t>(status::insufficient_storage) + 1;

/// The histogram's upper bounds, in seconds (then +Inf).
inline constexpr std::array<double, 14> latency_bounds_seconds = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

/// Operations only the REST layer knows: a bulk request is many commands (core/command.hpp's
/// `op` travels between nodes; these never do, so they stay out of it).
enum class rest_op : uint8_t { mget, mset };
inline constexpr std::size_t rest_op_count = 2;

class request_metrics {
 public:
  /// Requests answered before they became an operation (unknown path, refused token, probes,
  /// /metrics itself) count under this index.
  static constexpr std::size_t no_operation = op_count + rest_op_count;

  /// The index each operation counts under: the commands' ops, then the REST-only ones.
  static constexpr std::size_t index_of(op kind) { return static_cast<std::size_t>(kind); }
  static constexpr std::size_t index_of(rest_op kind) {
    return op_count + static_cast<std::size_t>(kind);
  }
  /// The `operation` label of an index: op_name's, "mget", "mset", or "other".
  static const char* name_of(std::size_t operation);

  void record(std::size_t operation, status code, std::chrono::nanoseconds took);

  uint64_t answers(std::size_t operation, status code) const {
    return answers_[operation][static_cast<std::size_t>(code)].load(std::memory_order_relaxed);
  }
  /// Requests of `operation` whose latency fell in bucket `i` (not cumulative; the last is +Inf).
  uint64_t in_bucket(std::size_t operation, std::size_t i) const {
    return buckets_[operation][i].load(std::memory_order_relaxed);
  }
  double latency_sum_seconds(std::size_t operation) const {
    return static_cast<double>(latency_ns_[operation].load(std::memory_order_relaxed)) / 1e9;
  }

 private:
  static constexpr std::size_t operations = no_operation + 1;
  std::array<std::array<std::atomic<uint64_t>, status_count>, operations> answers_{};
  std::array<std::array<std::atomic<uint64_t>, latency_bounds_seconds.size() + 1>, operations>
      buckets_{};
  std::array<std::atomic<uint64_t>, operations> latency_ns_{};
};

}  // namespace ovo
