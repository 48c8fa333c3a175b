#pragma once
// Giving freed heap memory back to the system (docs/memory.md, "Memory coming back"). glibc keeps
// the chunks freed by deletes and evictions in its arenas, so RSS would stay at its peak;
// malloc_trim(0) returns their whole pages. It walks every arena under its lock, so it runs only
// after the accounted bytes fell by a threshold, not on every free.

#include <cstdint>

namespace ovo {

/// Decides when to trim from successive readings of the node's accounted bytes.
class trim_schedule {
 public:
  explicit trim_schedule(uint64_t threshold_bytes) : threshold_(threshold_bytes) {}

  /// Notes a reading; true when it lies `threshold` or more below the highest reading since the
  /// last trim, or a sixteenth of that and the bytes stopped falling (the end of a wave of
  /// deletes would otherwise keep up to `threshold` untrimmed). The highest reading then starts
  /// again from this one. Steady eviction churn at the cap never trims: the bytes stay there
  /// and freed chunks are reused at once.
  bool should_trim(uint64_t stored_bytes) {
    const bool quiet = stored_bytes == previous_;
    previous_ = stored_bytes;
    if (stored_bytes > high_) high_ = stored_bytes;
    const uint64_t fallen = high_ - stored_bytes;
    if (fallen < threshold_ && !(quiet && fallen >= threshold_ / 16)) return false;
    high_ = stored_bytes;
    return true;
  }

 private:
  uint64_t threshold_;
  uint64_t high_ = 0;
  uint64_t previous_ = 0;
};

/// Returns the heap's free pages to the system (glibc's malloc_trim(0)); true when it could.
bool trim_heap();

}  // namespace ovo
