#pragma once
// TTL arithmetic. A deadline is an absolute time in clock_source milliseconds; 0 means none.

#include <cstdint>
#include <limits>

namespace ovo {

inline constexpr int64_t no_deadline = 0;

/// The deadline of something written at `now_ms` with a TTL of `ttl_seconds` (<= 0: none).
/// Saturates instead of overflowing, so a huge TTL simply never expires.
inline int64_t deadline_after(int64_t now_ms, int64_t ttl_seconds) {
  if (ttl_seconds <= 0) return no_deadline;
  constexpr int64_t max = std::numeric_limits<int64_t>::max();
  if (ttl_seconds > (max - now_ms) / 1000) return max;
  return now_ms + ttl_seconds * 1000;
}

/// True when a deadline has passed: reads must treat the entry as absent.
inline bool is_expired(int64_t deadline, int64_t now_ms) {
  return deadline != no_deadline && deadline <= now_ms;
}

/// Milliseconds left before `deadline` (0 for no deadline, at least 1 otherwise), so a deadline
/// can travel to another clock as a relative time.
inline int64_t remaining_ms(int64_t deadline, int64_t now_ms) {
  if (deadline == no_deadline) return 0;
  return deadline > now_ms ? deadline - now_ms : 1;
}

/// The inverse of remaining_ms on the receiving side.
inline int64_t deadline_from_remaining(int64_t remaining, int64_t now_ms) {
  if (remaining <= 0) return no_deadline;
  constexpr int64_t max = std::numeric_limits<int64_t>::max();
  return remaining > max - now_ms ? max : now_ms + remaining;
}

}  // namespace ovo
