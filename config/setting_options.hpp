#pragma once
// Every setting of the configuration file also as a command-line flag and an environment
// variable (README "Configuration"): one table, names derived from the file's field names.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ovo {

/// How a flag's or variable's text becomes the file's JSON value.
enum class setting_kind {
  integer,  ///< "5050"
  boolean,  ///< true/false, 1/0, yes/no, on/off
  text,     ///< taken as it is
  names,    ///< "a,b,c": a list of node names
  json,     ///< JSON text (Topology.Nodes)
};

struct setting_option {
  std::vector<std::string> path;  ///< where the file keeps it: {"Settings", "MaxKeyBytes"}
  setting_kind kind;
  std::string flag;  ///< without the dashes: "max-key-bytes"
  std::string env;   ///< "OVO_MAX_KEY_BYTES"
  std::string help;

  /// "Settings.MaxKeyBytes", as configuration errors name the field.
  std::string field() const;
};

/// Every option, in the order --help lists them.
const std::vector<setting_option>& setting_options();

/// The names of the keys the file's "Settings" object may hold.
std::vector<std::string> settings_keys();

/// "MaxKeyBytes" -> "max-key-bytes", "ClusterCAFile" -> "cluster-ca-file".
std::string kebab_case(std::string_view camel);

/// "MaxKeyBytes" -> "MAX_KEY_BYTES".
std::string upper_snake_case(std::string_view camel);

/// Writes `text`, converted as `option.kind` says, at `option.path` in `root` (objects on the way
/// are created). Returns what is wrong with the text, or nothing.
std::optional<std::string> apply_setting(nlohmann::json& root, const setting_option& option,
                                         const std::string& text);

}  // namespace ovo
