#include "node/command_line.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>

namespace ovo {
namespace {

/// Where CLI11 puts what it parsed.
struct parsed_values {
  std::string config_path;
  bool version = false;
  bool print_config = false;
  std::vector<std::string> settings = std::vector<std::string>(setting_options().size());
};

/// What --help shows after a flag that takes a value.
const char* value_name(setting_kind kind) {
  switch (kind) {
    case setting_kind::integer:
      return "INT";
    case setting_kind::names:
      return "NAME,...";
    case setting_kind::json:
      return "JSON";
    default:
      return "TEXT";
  }
}

/// The options and where each lands; `values` must outlive `app`.
void describe(CLI::App& app, parsed_values& values) {
  app.add_option("--conf", values.config_path,
                 "configuration file; also -conf=PATH [OVO_CONF] (default " +
                     std::string(defaults::config_path) + ", which may be absent)")
      ->type_name("PATH");
  app.add_flag("--version", values.version, "print the version");
  app.add_flag("--print-config", values.print_config,
               "print the effective configuration as JSON and exit");
  const auto& options = setting_options();
  for (std::size_t i = 0; i < options.size(); ++i) {
    const auto& option = options[i];
    const auto name = "--" + option.flag;
    const auto help = option.help + " [" + option.env + "] (" + option.field() + ")";
    if (option.kind == setting_kind::boolean)
      app.add_flag(name, values.settings[i], help);  // bare: true; --flag=false also works
    else
      app.add_option(name, values.settings[i], help)->type_name(value_name(option.kind));
  }
  app.footer(
      "Precedence: flag, then environment variable, then the file, then the default.\n"
      "Booleans take true/false, 1/0, yes/no, on/off; lists take a,b,c.");
}

/// CLI11 2.1 refuses multi-letter single-dash names; the original server's `-conf=PATH` (and
/// `-conf PATH`, `-help`, `-version`) stay valid by becoming their double-dash forms.
std::vector<std::string> with_double_dashes(std::vector<std::string> args) {
  for (auto& arg : args)
    if (arg == "-conf" || arg.rfind("-conf=", 0) == 0 || arg == "-help" || arg == "-version")
      arg.insert(0, "-");
  return args;
}

}  // namespace

command_line parse_command_line(const std::vector<std::string>& args,
                                const environment_lookup& environment) {
  command_line parsed;
  parsed_values values;
  CLI::App app{"ovo: a node of the OVO distributed cache", "ovo"};
  describe(app, values);
  auto rewritten = with_double_dashes(args);
  std::reverse(rewritten.begin(), rewritten.end());  // CLI11 takes them last first
  try {
    app.parse(rewritten);
  } catch (const CLI::CallForHelp&) {
    parsed.help = true;
    return parsed;
  } catch (const CLI::ParseError& e) {
    parsed.error = e.what();
    return parsed;
  }
  parsed.version = values.version;
  parsed.print_config = values.print_config;
  if (app.count("--conf")) {
    parsed.config_path = values.config_path;
    parsed.config_path_given = true;
  } else if (const char* path = environment("OVO_CONF")) {
    parsed.config_path = path;
    parsed.config_path_given = true;
  }
  if (parsed.config_path.empty()) {
    parsed.error = "the configuration path is empty";
    return parsed;
  }
  const auto& options = setting_options();
  for (std::size_t i = 0; i < options.size(); ++i) {
    const auto& option = options[i];
    if (app.count("--" + option.flag))
      parsed.overrides.push_back({&option, values.settings[i], "--" + option.flag});
    else if (const char* text = environment(option.env.c_str()))
      parsed.overrides.push_back({&option, text, option.env});
  }
  return parsed;
}

std::string usage_text() {
  parsed_values values;
  CLI::App app{"ovo: a node of the OVO distributed cache", "ovo"};
  describe(app, values);
  return app.help();
}

}  // namespace ovo
