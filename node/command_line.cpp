#include "node/command_line.hpp"

#include "config/defaults.hpp"

namespace ovo {

const char* const usage_text =
    "usage: ovo [-conf=PATH]\n"
    "  -conf=PATH, --conf PATH   configuration file (default conf/serverconf.json)\n"
    "  --help                    show this help\n"
    "  --version                 print the version\n";

command_line parse_command_line(const std::vector<std::string>& args) {
  command_line parsed;
  parsed.config_path = defaults::config_path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--help" || arg == "-help" || arg == "-h") {
      parsed.help = true;
    } else if (arg == "--version" || arg == "-version") {
      parsed.version = true;
    } else if (arg == "-conf" || arg == "--conf") {
      if (i + 1 >= args.size()) {
        parsed.error = arg + " needs a path";
        return parsed;
      }
      parsed.config_path = args[++i];
    } else if (arg.rfind("-conf=", 0) == 0 || arg.rfind("--conf=", 0) == 0) {
      parsed.config_path = arg.substr(arg.find('=') + 1);
      if (parsed.config_path.empty()) {
        parsed.error = "-conf= needs a path";
        return parsed;
      }
    } else {
      parsed.error = "unknown argument: " + arg;
      return parsed;
    }
  }
  return parsed;
}

}  // namespace ovo
