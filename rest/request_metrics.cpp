#include "rest/request_metrics.hpp"

namespace ovo {
namespace {

/// The bounds in nanoseconds, so recording compares integers.
constexpr std::array<int64_t, latency_bounds_seconds.size()> bounds_ns() {
  std::array<int64_t, latency_bounds_seconds.size()> out{};
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<int64_t>(latency_bounds_seconds[i] * 1e9 + 0.5);
  return out;
}

}  // namespace

const char* request_metrics::name_of(std::size_t operation) {
  static constexpr const char* rest_names[] = {"mget", "mset"};
  static_assert(sizeof rest_names / sizeof *rest_names == rest_op_count);
  if (operation < op_count) return op_name(static_cast<op>(operation));
  if (operation < no_operation) return rest_names[operation - op_count];
  return "other";
}

void request_metrics::record(std::size_t operation, status code, std::chrono::nanoseconds took) {
  static constexpr auto bounds = bounds_ns();
  const auto ns = took.count();
  std::size_t bucket = 0;
  while (bucket < bounds.size() && ns > bounds[bucket]) ++bucket;
  answers_[operation][static_cast<std::size_t>(code)].fetch_add(1, std::memory_order_relaxed);
  buckets_[operation][bucket].fetch_add(1, std::memory_order_relaxed);
  latency_ns_[operation].fetch_add(static_cast<uint64_t>(ns), std::memory_order_relaxed);
}

}  // namespace ovo
