#pragma once
#include <string>
#include <vector>

namespace ovo {

struct command_line {
  std::string config_path;
  bool help = false;
  bool version = false;
  std::string error;  ///< non-empty: the arguments were not understood
};

/// Understands `-conf=path`, `--conf=path`, `-conf path`, `--conf path`, `--help`, `--version`.
command_line parse_command_line(const std::vector<std::string>& args);

extern const char* const usage_text;

}  // namespace ovo
