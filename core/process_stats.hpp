#pragma once
// This process's resource figures, read from /proc (Prometheus's standard process_* metrics).

#include <cstdint>

namespace ovo {

struct process_stats {
  double cpu_seconds = 0;  ///< user + system
  uint64_t resident_bytes = 0;
  uint64_t virtual_bytes = 0;
  uint64_t open_fds = 0;
  uint64_t max_fds = 0;
  double start_time_seconds = 0;  ///< since the Unix epoch
};

/// The figures now; a field that cannot be read stays 0.
process_stats read_process_stats();

}  // namespace ovo
