#include "core/process_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace ovo {
namespace {

/// The system's boot time (seconds since the epoch), from /proc/stat's btime line.
double boot_time_seconds() {
  std::ifstream stat("/proc/stat");
  for (std::string line; std::getline(stat, line);)
    if (line.rfind("btime ", 0) == 0) return std::stod(line.substr(6));
  return 0;
}

}  // namespace

process_stats read_process_stats() {
  process_stats out;
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const auto page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  std::ifstream file("/proc/self/stat");
  std::string text;
  std::getline(file, text);
  // The command name (field 2) may hold spaces: fields are counted after its closing ')'.
  const auto close = text.rfind(')');
  if (close != std::string::npos) {
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    uint64_t utime = 0, stime = 0, start = 0, vsize = 0, rss = 0;
    for (int n = 3; fields >> field; ++n) {
      if (n == 14) utime = std::stoull(field);
      if (n == 15) stime = std::stoull(field);
      if (n == 22) start = std::stoull(field);
      if (n == 23) vsize = std::stoull(field);
      if (n == 24) rss = std::stoull(field);
    }
    out.cpu_seconds = static_cast<double>(utime + stime) / ticks;
    out.start_time_seconds = boot_time_seconds() + static_cast<double>(start) / ticks;
    out.virtual_bytes = vsize;
    out.resident_bytes = rss * page;
  }
  std::error_code ignored;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ignored);
       it != std::filesystem::directory_iterator(); it.increment(ignored))
    ++out.open_fds;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) out.max_fds = limit.rlim_cur;
  return out;
}

}  // namespace ovo
