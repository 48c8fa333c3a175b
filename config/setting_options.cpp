#include "config/setting_options.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace ovo {
namespace {

using json = nlohmann::json;

struct entry {
  std::vector<std::string> path;
  setting_kind kind;
  const char* help;
  const char* name = nullptr;  ///< the flag's words when the field name alone is unclear
};

/// The file's fields. A new setting is one line here plus its reading in server_config.cpp.
const std::vector<entry>& entries() {
  using k = setting_kind;
  static const std::vector<entry> all = {
      {{"ServerNode", "Node", "Name"}, k::text, "this node's name (default: a generated one)"},
      {{"ServerNode", "Node", "Host"}, k::text, "REST host to listen on (\"\": every interface)"},
      {{"ServerNode", "Node", "Port"}, k::integer, "REST port"},
      {{"ServerNode", "Node", "APIHost"}, k::text, "cluster (node-to-node) host"},
      {{"ServerNode", "Node", "APIPort"}, k::integer, "cluster port (absent: serve alone)"},
      {{"ServerNode", "Twins"}, k::names, "node names holding this node's replicas: a,b"},
      {{"ServerNode", "Stepbrothers"}, k::names, "stepbrother node names: a,b"},
      {{"Topology", "Nodes"},
       k::json,
       "peers to contact at start, as the file's Topology.Nodes JSON array",
       "TopologyNodes"},
      {{"Debug"}, k::boolean, "debug logging (unless LogLevel says otherwise)"},
      {{"Settings", "Shards"}, k::integer, "shard actors (1-128)"},
      {{"Settings", "RestThreads"}, k::integer, "REST threads (0: one per core)"},
      {{"Settings", "ActorThreads"}, k::integer, "actor threads (0: half the cores)"},
      {{"Settings", "MaxKeyBytes"}, k::integer, "longest key accepted"},
      {{"Settings", "MaxValueBytes"}, k::integer, "largest value accepted"},
      {{"Settings", "MaxBodyBytes"}, k::integer, "largest request body accepted"},
      {{"Settings", "ExpirySweepMs"}, k::integer, "how often expired keys are removed"},
      {{"Settings", "MaxMemoryBytes"}, k::integer, "memory cap in accounted bytes (0: none)"},
      {{"Settings", "EvictionPolicy"}, k::text, "over the cap: clock (evict) or noeviction"},
      {{"Settings", "LogLevel"}, k::text, "trace, debug, info, warn, error or off"},
      {{"Settings", "LogFormat"}, k::text, "text, or json: one JSON object a line"},
      {{"Settings", "LeaveOnShutdown"}, k::boolean, "hand every slot over on SIGTERM"},
      {{"Settings", "Replication"}, k::text, "sync, async or off"},
      {{"Settings", "MinCopies"}, k::integer, "copies a sync write needs, owner included"},
      {{"Settings", "ReplicaTimeoutMs"}, k::integer, "replica write confirmation timeout"},
      {{"Settings", "AdminTokenFile"}, k::text, "file with the token ovoctl must present"},
      {{"Settings", "TokenFile"}, k::text, "file of REST bearer tokens"},
      {{"Settings", "DeadNodeRemovalSeconds"}, k::integer, "remove unreachable nodes after"},
      {{"Settings", "VerifyIntervalSeconds"}, k::integer, "anti-entropy interval (0: off)"},
      {{"Settings", "PartitionPolicy"}, k::text, "majority or available"},
      {{"Settings", "NodeTimeoutMs"}, k::integer, "minority stops / majority takes over after"},
      {{"Settings", "ReadsInMinority"}, k::boolean, "answer reads (maybe stale) in a minority"},
      {{"Settings", "Witness"}, k::boolean, "a voting member holding no slots"},
      {{"Settings", "ClusterCertFile"}, k::text, "cluster TLS certificate (PEM)"},
      {{"Settings", "ClusterKeyFile"}, k::text, "cluster TLS key (PEM)"},
      {{"Settings", "ClusterCAFile"}, k::text, "cluster TLS CA (PEM)"},
      {{"Settings", "AllowPlaintextCluster"}, k::boolean, "plaintext cluster port off loopback"},
      {{"Settings", "RestCertFile"}, k::text, "HTTPS certificate (PEM)"},
      {{"Settings", "RestKeyFile"}, k::text, "HTTPS key (PEM)"},
  };
  return all;
}

std::vector<std::string> words_of(std::string_view camel) {
  std::vector<std::string> words;
  for (std::size_t i = 0; i < camel.size(); ++i) {
    const auto c = camel[i];
    const bool upper = std::isupper(static_cast<unsigned char>(c));
    // A word starts at a capital after a small letter or digit ("MaxKey"), or at the last
    // capital of a run followed by a small letter ("CAFile" -> CA, File).
    const bool starts =
        i == 0 || (upper && !std::isupper(static_cast<unsigned char>(camel[i - 1]))) ||
        (upper && i + 1 < camel.size() && std::islower(static_cast<unsigned char>(camel[i + 1])));
    if (starts) words.emplace_back();
    words.back() += c;
  }
  return words;
}

std::string joined(std::string_view camel, char separator, int (*convert)(int)) {
  std::string out;
  for (const auto& word : words_of(camel)) {
    if (!out.empty()) out += separator;
    for (char c : word) out += static_cast<char>(convert(static_cast<unsigned char>(c)));
  }
  return out;
}

std::optional<json> integer_of(const std::string& text) {
  int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return json(value);
}

std::optional<json> boolean_of(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (text == "true" || text == "1" || text == "yes" || text == "on") return json(true);
  if (text == "false" || text == "0" || text == "no" || text == "off") return json(false);
  return std::nullopt;
}

json names_of(const std::string& text) {
  json names = json::array();
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    auto name = text.substr(start, comma - start);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (!name.empty()) names.push_back(name);
    start = comma + 1;
  }
  return names;
}

}  // namespace

std::string setting_option::field() const {
  std::string out;
  for (const auto& part : path) out += (out.empty() ? "" : ".") + part;
  return out;
}

std::string kebab_case(std::string_view camel) { return joined(camel, '-', ::tolower); }

std::string upper_snake_case(std::string_view camel) { return joined(camel, '_', ::toupper); }

const std::vector<setting_option>& setting_options() {
  static const std::vector<setting_option> all = [] {
    std::vector<setting_option> out;
    for (const auto& e : entries()) {
      const std::string name = e.name ? e.name : e.path.back();
      out.push_back({e.path, e.kind, kebab_case(name), "OVO_" + upper_snake_case(name), e.help});
    }
    return out;
  }();
  return all;
}

std::vector<std::string> settings_keys() {
  std::vector<std::string> keys;
  for (const auto& e : entries())
    if (e.path.size() == 2 && e.path.front() == "Settings") keys.push_back(e.path.back());
  return keys;
}

std::optional<std::string> apply_setting(json& root, const setting_option& option,
                                         const std::string& text) {
  std::optional<json> value;
  switch (option.kind) {
    case setting_kind::integer:
      value = integer_of(text);
      if (!value) return "must be an integer, got \"" + text + "\"";
      break;
    case setting_kind::boolean:
      value = boolean_of(text);
      if (!value) return "must be true or false, got \"" + text + "\"";
      break;
    case setting_kind::text:
      value = text;
      break;
    case setting_kind::names:
      value = names_of(text);
      break;
    case setting_kind::json:
      value = json::parse(text, nullptr, false);
      if (value->is_discarded()) return "must be JSON, got \"" + text + "\"";
      break;
  }
  json* at = &root;
  for (std::size_t i = 0; i + 1 < option.path.size(); ++i) {
    auto& next = (*at)[option.path[i]];
    if (!next.is_object()) next = json::object();
    at = &next;
  }
  (*at)[option.path.back()] = std::move(*value);
  return std::nullopt;
}

}  // namespace ovo
