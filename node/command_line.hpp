#pragma once
// The node's command line (CLI11): the configuration file, and every setting as a flag or an
// OVO_* environment variable over it (flag > environment > file > default).

#include "config/server_config.hpp"

#include <functional>
#include <string>
#include <vector>

namespace ovo {

struct command_line {
  std::string config_path = defaults::config_path;
  /// -conf or OVO_CONF named the file, so it must exist; the default one may be absent.
  bool config_path_given = false;
  bool help = false;
  bool version = false;
  bool print_config = false;  ///< print the effective configuration as JSON and exit
  std::vector<setting_override> overrides;
  std::string error;  ///< non-empty: the arguments were not understood
};

/// Reads an environment variable (nullptr: not set); std::getenv outside tests.
using environment_lookup = std::function<const char*(const char*)>;

/// Understands `-conf=PATH` (the original server's form), `--conf PATH`, `--help`,
/// `--version`, `--print-config` and one flag per setting_options() entry.
command_line parse_command_line(const std::vector<std::string>& args,
                                const environment_lookup& environment = std::getenv);

/// What --help prints.
std::string usage_text();

}  // namespace ovo
