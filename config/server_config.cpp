#include "config/server_config.hpp"

#include "config/setting_options.hpp"
#include "config/star_name.hpp"
#include "config/token_file.hpp"
#include "core/secrets.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <set>
#include <sstream>

namespace ovo {
namespace {

using json = nlohmann::json;

/// Reads typed fields out of JSON objects, recording every problem with file and field path.
class field_reader {
 public:
  explicit field_reader(std::string origin) : origin_(std::move(origin)) {}

  void fail(const std::string& field, const std::string& problem) {
    errors_.push_back(origin_ + ": " + field + ": " + problem);
  }

  /// The object at `obj[key]`, or nullptr (absent is fine; a non-object is an error).
  const json* object(const json& obj, const char* key, const std::string& field) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    if (!it->is_object()) {
      fail(field, "must be an object, got " + std::string(it->type_name()));
      return nullptr;
    }
    return &*it;
  }

  std::string string(const json& obj, const char* key, const std::string& field) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return {};
    if (!it->is_string()) {
      fail(field, "must be a string, got " + it->dump());
      return {};
    }
    return it->get<std::string>();
  }

  /// An integer in [low, high]; `fallback` when absent or invalid.
  int64_t integer(const json& obj, const char* key, const std::string& field, int64_t low,
                  int64_t high, int64_t fallback) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return fallback;
    constexpr auto int64_max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    if (!it->is_number_integer() || (it->is_number_unsigned() && it->get<uint64_t>() > int64_max)) {
      fail(field, "must be an integer from " + std::to_string(low) + " to " + std::to_string(high) +
                      ", got " + it->dump());
      return fallback;
    }
    const auto value = it->get<int64_t>();
    if (value < low || value > high) {
      fail(field, "must be from " + std::to_string(low) + " to " + std::to_string(high) + ", got " +
                      std::to_string(value));
      return fallback;
    }
    return value;
  }

  std::vector<std::string> names(const json& obj, const char* key, const std::string& field) {
    std::vector<std::string> out;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return out;
    if (!it->is_array()) {
      fail(field, "must be a list of node names, got " + it->dump());
      return out;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& item = (*it)[i];
      if (!item.is_string() || item.get<std::string>().empty())
        fail(field + "[" + std::to_string(i) + "]", "must be a non-empty node name");
      else
        out.push_back(item.get<std::string>());
    }
    return out;
  }

  bool boolean(const json& obj, const char* key, const std::string& field) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return false;
    if (!it->is_boolean()) {
      fail(field, "must be true or false, got " + it->dump());
      return false;
    }
    return it->get<bool>();
  }

  node_address address(const json& node, const std::string& field) {
    node_address a;
    a.name = string(node, "Name", field + ".Name");
    a.host = string(node, "Host", field + ".Host");
    a.port = static_cast<uint16_t>(integer(node, "Port", field + ".Port", 1, 65535, 0));
    a.api_host = string(node, "APIHost", field + ".APIHost");
    a.api_port = static_cast<uint16_t>(integer(node, "APIPort", field + ".APIPort", 1, 65535, 0));
    a.joined_at_ms =
        integer(node, "JoinedAt", field + ".JoinedAt", 0, std::numeric_limits<int64_t>::max(), 0);
    if (node.find("Port") == node.end()) fail(field + ".Port", "is required");
    return a;
  }

  std::vector<std::string>& errors() { return errors_; }

 private:
  std::string origin_;
  std::vector<std::string> errors_;
};

/// Settings naming files that go together (a certificate, its key, ...): all or none, each
/// readable; `why` says what needs them all.
void read_file_set(field_reader& in, const json& obj,
                   std::initializer_list<std::pair<const char*, std::string*>> files,
                   const std::string& why) {
  std::size_t given = 0;
  for (const auto& [name, value] : files) {
    *value = in.string(obj, name, std::string("Settings.") + name);
    given += !value->empty();
    if (!value->empty() && !std::ifstream(*value))
      in.fail(std::string("Settings.") + name, "cannot read " + *value);
  }
  if (given > 0 && given < files.size())
    for (const auto& [name, value] : files)
      if (value->empty()) in.fail(std::string("Settings.") + name, "missing: " + why);
}

/// The cluster port's TLS files: all three or none, each readable.
void read_cluster_tls(field_reader& in, const json& obj, node_settings& s) {
  read_file_set(in, obj,
                {{"ClusterCertFile", &s.cluster_cert_file},
                 {"ClusterKeyFile", &s.cluster_key_file},
                 {"ClusterCAFile", &s.cluster_ca_file}},
                "mutual TLS needs ClusterCertFile, ClusterKeyFile and ClusterCAFile");
  s.allow_plaintext_cluster =
      in.boolean(obj, "AllowPlaintextCluster", "Settings.AllowPlaintextCluster");
}

/// The REST port's TLS files: both or none, each readable.
void read_rest_tls(field_reader& in, const json& obj, node_settings& s) {
  read_file_set(in, obj, {{"RestCertFile", &s.rest_cert_file}, {"RestKeyFile", &s.rest_key_file}},
                "HTTPS needs RestCertFile and RestKeyFile");
}

/// A cluster port beyond loopback speaks TLS, unless plaintext is allowed explicitly.
void check_cluster_transport(field_reader& in, const server_config& config) {
  const auto& s = config.settings;
  if (config.self.api_port == 0 || s.cluster_tls() || s.allow_plaintext_cluster ||
      is_loopback_host(config.self.api_host))
    return;
  in.fail("ServerNode.Node.APIHost",
          "\"" + config.self.api_host +
              "\" is not a loopback address, so the cluster port needs mutual TLS "
              "(Settings.ClusterCertFile, ClusterKeyFile, ClusterCAFile), or "
              "Settings.AllowPlaintextCluster: true on a trusted network (docs/security.md)");
}

node_settings read_settings(field_reader& in, const json& obj) {
  static const auto keys = settings_keys();
  static const std::set<std::string> known(keys.begin(), keys.end());
  for (const auto& item : obj.items())
    if (!known.count(item.key())) in.fail("Settings." + item.key(), "unknown setting");
  node_settings s;
  constexpr int64_t max_int = std::numeric_limits<int32_t>::max();
  s.shards = static_cast<std::size_t>(
      in.integer(obj, "Shards", "Settings.Shards", 1, 128, static_cast<int64_t>(s.shards)));
  s.rest_threads = static_cast<unsigned>(
      in.integer(obj, "RestThreads", "Settings.RestThreads", 0, 256, s.rest_threads));
  s.actor_threads = static_cast<unsigned>(
      in.integer(obj, "ActorThreads", "Settings.ActorThreads", 0, 256, s.actor_threads));
  s.max_key_bytes =
      static_cast<std::size_t>(in.integer(obj, "MaxKeyBytes", "Settings.MaxKeyBytes", 1, max_int,
                                          static_cast<int64_t>(s.max_key_bytes)));
  s.max_value_bytes =
      static_cast<std::size_t>(in.integer(obj, "MaxValueBytes", "Settings.MaxValueBytes", 0,
                                          max_int, static_cast<int64_t>(s.max_value_bytes)));
  s.max_body_bytes =
      static_cast<std::size_t>(in.integer(obj, "MaxBodyBytes", "Settings.MaxBodyBytes", 1024,
                                          max_int, static_cast<int64_t>(s.max_body_bytes)));
  s.expiry_sweep_ms =
      in.integer(obj, "ExpirySweepMs", "Settings.ExpirySweepMs", 10, 60'000, s.expiry_sweep_ms);
  s.max_memory_bytes = static_cast<uint64_t>(in.integer(
      obj, "MaxMemoryBytes", "Settings.MaxMemoryBytes", 0, std::numeric_limits<int64_t>::max(), 0));
  const auto eviction = in.string(obj, "EvictionPolicy", "Settings.EvictionPolicy");
  if (auto policy = eviction_policy_named(eviction))
    s.eviction = *policy;
  else if (!eviction.empty())
    in.fail("Settings.EvictionPolicy", "must be one of clock, noeviction");
  s.leave_on_shutdown = in.boolean(obj, "LeaveOnShutdown", "Settings.LeaveOnShutdown");
  s.dead_node_removal_seconds =
      in.integer(obj, "DeadNodeRemovalSeconds", "Settings.DeadNodeRemovalSeconds", 0,
                 365 * 24 * 3600, s.dead_node_removal_seconds);
  s.min_copies = in.integer(obj, "MinCopies", "Settings.MinCopies", 1, 16, s.min_copies);
  s.replica_timeout_ms = in.integer(obj, "ReplicaTimeoutMs", "Settings.ReplicaTimeoutMs", 10,
                                    600'000, s.replica_timeout_ms);
  s.verify_interval_seconds =
      in.integer(obj, "VerifyIntervalSeconds", "Settings.VerifyIntervalSeconds", 0, 365 * 24 * 3600,
                 s.verify_interval_seconds);
  s.admin_token_file = in.string(obj, "AdminTokenFile", "Settings.AdminTokenFile");
  if (!s.admin_token_file.empty()) {
    const auto token = read_token_file(s.admin_token_file);
    if (!token)
      in.fail("Settings.AdminTokenFile", "cannot read " + s.admin_token_file);
    else if (token->empty())
      in.fail("Settings.AdminTokenFile", s.admin_token_file + " holds no token");
    else
      s.admin_token = *token;
  }
  s.token_file = in.string(obj, "TokenFile", "Settings.TokenFile");
  if (!s.token_file.empty()) {
    auto tokens = read_access_tokens(s.token_file);
    if (auto* problem = std::get_if<std::string>(&tokens))
      in.fail("Settings.TokenFile", *problem);
    else
      s.rest_tokens = std::get<access_tokens>(std::move(tokens));
  }
  const auto replication = in.string(obj, "Replication", "Settings.Replication");
  if (replication == "sync")
    s.replication = replication_mode::sync;
  else if (replication == "async")
    s.replication = replication_mode::async;
  else if (replication == "off")
    s.replication = replication_mode::off;
  else if (!replication.empty())
    in.fail("Settings.Replication", "must be one of sync, async, off");
  const auto policy = in.string(obj, "PartitionPolicy", "Settings.PartitionPolicy");
  if (policy == "available")
    s.partitions = partition_policy::available;
  else if (!policy.empty() && policy != "majority")
    in.fail("Settings.PartitionPolicy", "must be one of majority, available");
  s.node_timeout_ms =
      in.integer(obj, "NodeTimeoutMs", "Settings.NodeTimeoutMs", 100, 600'000, s.node_timeout_ms);
  s.reads_in_minority = in.boolean(obj, "ReadsInMinority", "Settings.ReadsInMinority");
  s.witness = in.boolean(obj, "Witness", "Settings.Witness");
  read_cluster_tls(in, obj, s);
  read_rest_tls(in, obj, s);
  auto level = in.string(obj, "LogLevel", "Settings.LogLevel");
  static const std::set<std::string> levels = {"trace", "debug", "info", "warn", "error", "off"};
  if (!level.empty() && !levels.count(level))
    in.fail("Settings.LogLevel", "must be one of trace, debug, info, warn, error, off");
  else if (!level.empty())
    s.log_level = level;
  const auto format = in.string(obj, "LogFormat", "Settings.LogFormat");
  if (format == "json")
    s.json_logs = true;
  else if (!format.empty() && format != "text")
    in.fail("Settings.LogFormat", "must be text or json");
  return s;
}

void check_unique_names(field_reader& in, const server_config& config) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < config.topology.size(); ++i) {
    const auto& node = config.topology[i];
    const auto field = "Topology.Nodes[" + std::to_string(i) + "].Node.Name";
    if (node.name.empty()) {
      in.fail(field, "a topology node needs a name");
    } else if (!seen.insert(node.name).second) {
      in.fail(field, "duplicate node name \"" + node.name + "\"");
    } else if (node.name == config.self.name &&
               (node.host != config.self.host || node.port != config.self.port)) {
      in.fail(field, "\"" + node.name + "\" is this node's name but has another address");
    }
  }
}

json address_json(const node_address& a) {
  json out = {{"Name", a.name},
              {"Host", a.host},
              {"Port", a.port},
              {"APIHost", a.api_host},
              {"APIPort", a.api_port}};
  if (a.joined_at_ms != 0) out["JoinedAt"] = a.joined_at_ms;
  return out;
}

}  // namespace

config_outcome parse_config(const std::string& text, const std::string& origin) {
  config_outcome outcome;
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    outcome.errors.push_back(origin + ": not valid JSON: " + e.what());
    return outcome;
  }
  field_reader in(origin);
  if (!root.is_object()) {
    in.fail("(top level)", "must be a JSON object");
    outcome.errors = std::move(in.errors());
    return outcome;
  }
  server_config config;
  const json* server = in.object(root, "ServerNode", "ServerNode");
  const json* self = server ? in.object(*server, "Node", "ServerNode.Node") : nullptr;
  if (self == nullptr) {
    in.fail("ServerNode.Node", "is required");
  } else {
    config.self = in.address(*self, "ServerNode.Node");
    config.twins = in.names(*server, "Twins", "ServerNode.Twins");
    config.stepbrothers = in.names(*server, "Stepbrothers", "ServerNode.Stepbrothers");
  }
  if (const json* topology = in.object(root, "Topology", "Topology")) {
    auto nodes = topology->find("Nodes");
    if (nodes != topology->end() && !nodes->is_null() && !nodes->is_array()) {
      in.fail("Topology.Nodes", "must be a list");
    } else if (nodes != topology->end() && nodes->is_array()) {
      for (std::size_t i = 0; i < nodes->size(); ++i) {
        const auto field = "Topology.Nodes[" + std::to_string(i) + "]";
        const auto& entry = (*nodes)[i];
        const json* node = entry.is_object() ? in.object(entry, "Node", field + ".Node") : nullptr;
        if (node == nullptr)
          in.fail(field, "must be {\"Node\":{...}}");
        else
          config.topology.push_back(in.address(*node, field + ".Node"));
      }
    }
  }
  config.debug = in.boolean(root, "Debug", "Debug");
  if (const json* settings = in.object(root, "Settings", "Settings"))
    config.settings = read_settings(in, *settings);
  if (config.debug && (!root.contains("Settings") || !root["Settings"].contains("LogLevel")))
    config.settings.log_level = "debug";
  if (config.self.name.empty()) {
    config.self.name = generate_star_name();
    config.name_was_generated = true;
  }
  check_unique_names(in, config);
  check_cluster_transport(in, config);
  outcome.errors = std::move(in.errors());
  if (outcome.errors.empty()) outcome.config = std::move(config);
  return outcome;
}

config_outcome load_config(const std::string& path, const std::vector<setting_override>& overrides,
                           bool file_optional) {
  config_outcome outcome;
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  if (file)
    text << file.rdbuf();
  else if (file_optional)
    text << "{}";
  else
    outcome.errors.push_back(path + ": cannot open the configuration file");
  if (overrides.empty() || !outcome.errors.empty())
    return outcome.errors.empty() ? parse_config(text.str(), path) : outcome;
  auto root = json::parse(text.str(), nullptr, false);
  if (!root.is_object()) return parse_config(text.str(), path);  // its own clear error
  for (const auto& given : overrides)
    if (auto problem = apply_setting(root, *given.option, given.text))
      outcome.errors.push_back(given.origin + ": " + *problem);
  if (!outcome.errors.empty()) return outcome;
  outcome = parse_config(root.dump(), path);
  // A field given by a flag or variable is that one's problem, not the file's.
  for (auto& error : outcome.errors)
    for (const auto& given : overrides) {
      const auto prefix = path + ": " + given.option->field() + ":";
      if (error.rfind(prefix, 0) == 0)
        error = given.origin + " (" + given.option->field() + ")" + error.substr(prefix.size() - 1);
    }
  return outcome;
}

const char* to_string(partition_policy policy) {
  return policy == partition_policy::available ? "available" : "majority";
}

const char* to_string(replication_mode mode) {
  switch (mode) {
    case replication_mode::sync:
      return "sync";
    case replication_mode::async:
      return "async";
    case replication_mode::off:
      return "off";
  }
  return "sync";
}

std::string render_config(const server_config& config) {
  json nodes = json::array();
  for (const auto& node : config.topology) nodes.push_back({{"Node", address_json(node)}});
  const auto& s = config.settings;
  json root = {{"ServerNode",
                {{"Node", address_json(config.self)},
                 {"Twins", config.twins},
                 {"Stepbrothers", config.stepbrothers}}},
               {"Topology", {{"Nodes", nodes}}},
               {"Debug", config.debug},
               {"Settings",
                {{"Shards", s.shards},
                 {"RestThreads", s.rest_threads},
                 {"ActorThreads", s.actor_threads},
                 {"MaxKeyBytes", s.max_key_bytes},
                 {"MaxValueBytes", s.max_value_bytes},
                 {"MaxBodyBytes", s.max_body_bytes},
                 {"ExpirySweepMs", s.expiry_sweep_ms},
                 {"MaxMemoryBytes", s.max_memory_bytes},
                 {"EvictionPolicy", to_string(s.eviction)},
                 {"LogLevel", s.log_level},
                 {"LogFormat", s.json_logs ? "json" : "text"},
                 {"LeaveOnShutdown", s.leave_on_shutdown},
                 {"Replication", to_string(s.replication)},
                 {"MinCopies", s.min_copies},
                 {"ReplicaTimeoutMs", s.replica_timeout_ms},
                 {"AdminTokenFile", s.admin_token_file},
                 {"TokenFile", s.token_file},
                 {"DeadNodeRemovalSeconds", s.dead_node_removal_seconds},
                 {"VerifyIntervalSeconds", s.verify_interval_seconds},
                 {"PartitionPolicy", to_string(s.partitions)},
                 {"NodeTimeoutMs", s.node_timeout_ms},
                 {"ReadsInMinority", s.reads_in_minority},
                 {"Witness", s.witness},
                 {"ClusterCertFile", s.cluster_cert_file},
                 {"ClusterKeyFile", s.cluster_key_file},
                 {"ClusterCAFile", s.cluster_ca_file},
                 {"AllowPlaintextCluster", s.allow_plaintext_cluster},
                 {"RestCertFile", s.rest_cert_file},
                 {"RestKeyFile", s.rest_key_file}}}};
  return root.dump(2) + "\n";
}

std::optional<std::string> write_file_atomically(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return "cannot create " + temporary;
    out << text;
    out.flush();
    if (!out) return "cannot write " + temporary;
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return "cannot rename " + temporary + " to " + path;
  }
  return std::nullopt;
}

}  // namespace ovo
