#pragma once
// serverconf.json (docs/protocol.md "Configuration file") plus our optional "Settings" object.

#include "config/defaults.hpp"
#include "config/setting_options.hpp"
#include "core/access_tokens.hpp"
#include "core/memory_limit.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ovo {

struct node_address {
  std::string name;
  std::string host;  ///< REST host; empty = all interfaces
  uint16_t port = 0;
  std::string api_host;  ///< node-to-node host
  uint16_t api_port = 0;
  /// When the node first joined (ms since the epoch; 0 = unknown). Only `<conf>.temp` carries it,
  /// so a node restarted from that file keeps its place in the slot layout.
  int64_t joined_at_ms = 0;
};

/// Settings.Replication.
enum class replication_mode {
  sync,   ///< a write is answered after its in-sync replica holders applied it
  async,  ///< answered at once, the replicas follow
  off,    ///< one copy only (a dead node's keys are lost)
};

/// The setting's text for `mode` ("sync", "async", "off").
const char* to_string(replication_mode mode);

/// Settings.PartitionPolicy (docs/cluster.md, "Partitions").
enum class partition_policy {
  majority,   ///< only a side reaching a majority of the members serves and takes slots over
  available,  ///< every side serves; versions decide after the heal (concurrent writes lost)
};

/// The setting's text for `policy` ("majority", "available").
const char* to_string(partition_policy policy);

struct node_settings {
  std::size_t shards = defaults::shards;
  unsigned rest_threads = 0;   ///< 0 = one per core
  unsigned actor_threads = 0;  ///< CAF scheduler workers; 0 = half the cores
  std::size_t max_key_bytes = defaults::max_key_bytes;
  std::size_t max_value_bytes = defaults::max_value_bytes;
  std::size_t max_body_bytes = defaults::max_body_bytes;
  int64_t expiry_sweep_ms = defaults::expiry_sweep_ms;
  /// Settings.MaxMemoryBytes: the accounted bytes the node's shards may hold, split evenly over
  /// them (docs/memory.md); 0 = no cap.
  uint64_t max_memory_bytes = 0;
  /// Settings.EvictionPolicy: what a write that would pass the cap does.
  eviction_policy eviction = eviction_policy::clock;
  std::string log_level = defaults::log_level;
  bool json_logs = false;  ///< Settings.LogFormat "json": one JSON object a log line
  /// On SIGTERM, hand every slot to the other nodes before exiting (graceful leave).
  bool leave_on_shutdown = false;
  replication_mode replication = replication_mode::sync;
  /// With "sync": the copies (owner included) a write needs in sync, at most the data nodes
  /// serving in the layout (docs/cluster.md, "In-sync copies").
  int64_t min_copies = defaults::min_copies;
  /// A replica holder that does not confirm a write within this leaves the slot's in-sync set.
  int64_t replica_timeout_ms = defaults::replica_timeout_ms;
  /// Settings.AdminTokenFile: a file holding the token ovoctl must present for the admin
  /// actor; "" = none (admin is then accepted only from loopback connections).
  std::string admin_token_file;
  /// The token read from admin_token_file (surrounding whitespace removed).
  std::string admin_token;
  /// Settings.TokenFile: REST requests need one of its bearer tokens ("" = no tokens, REST
  /// open as the original OVO; docs/security.md "REST tokens").
  std::string token_file;
  access_tokens rest_tokens;
  /// A node unreachable this long is removed from the topology (its slots get a second copy
  /// elsewhere); 0 keeps it forever.
  int64_t dead_node_removal_seconds = defaults::dead_node_removal_seconds;
  /// How often owners compare their slots with the replica holders' copies and repair them
  /// (docs/cluster.md, "Anti-entropy"); 0 = only on `ovoctl verify`.
  int64_t verify_interval_seconds = defaults::verify_interval_seconds;
  partition_policy partitions = partition_policy::majority;
  /// A node that cannot reach a majority of the members for this long stops serving; a side
  /// with a majority takes an unreachable node's slots over only after this long.
  int64_t node_timeout_ms = defaults::node_timeout_ms;
  /// In a minority, answer reads from the local copy (maybe stale) instead of refusing them.
  bool reads_in_minority = false;
  /// A voting member without data (docs/cluster.md, "Partitions"): two data nodes and a
  /// witness survive the loss of one.
  bool witness = false;
  /// Settings.ClusterCertFile, ClusterKeyFile, ClusterCAFile: mutual TLS on the cluster port
  /// (docs/security.md); all three or none (plaintext).
  std::string cluster_cert_file;
  std::string cluster_key_file;
  std::string cluster_ca_file;
  /// Lets a node whose APIHost is not a loopback address start without TLS (trusted networks).
  bool allow_plaintext_cluster = false;

  /// Settings.RestCertFile, RestKeyFile: the REST port serves HTTPS only (docs/security.md);
  /// both or none (HTTP).
  std::string rest_cert_file;
  std::string rest_key_file;

  bool cluster_tls() const { return !cluster_cert_file.empty(); }
  bool rest_tls() const { return !rest_cert_file.empty(); }
};

struct server_config {
  node_address self;
  std::vector<std::string> twins;
  std::vector<std::string> stepbrothers;
  std::vector<node_address> topology;
  bool debug = false;
  node_settings settings;
  bool name_was_generated = false;
};

/// Either a valid configuration or every problem found, each as "file: field: what is wrong".
struct config_outcome {
  std::optional<server_config> config;
  std::vector<std::string> errors;
};

/// Parses and validates configuration text; `origin` names the file in error messages.
config_outcome parse_config(const std::string& text, const std::string& origin);

/// A value for one setting given as a flag or an environment variable.
struct setting_override {
  const setting_option* option;
  std::string text;
  std::string origin;  ///< "--port" or "OVO_PORT", for error messages
};

/// Reads the file at `path` (or starts from an empty one when it is absent and `file_optional`),
/// applies `overrides` over it, then validates the result.
config_outcome load_config(const std::string& path,
                           const std::vector<setting_override>& overrides = {},
                           bool file_optional = false);

/// The configuration in the original's format (what `<conf>.temp` holds).
std::string render_config(const server_config& config);

/// Writes `text` to `path` atomically (temporary file in the same folder, then rename).
/// Returns an error description, or nothing on success.
std::optional<std::string> write_file_atomically(const std::string& path, const std::string& text);

}  // namespace ovo
