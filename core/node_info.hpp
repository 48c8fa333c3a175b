#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace ovo {

/// One node as the cluster publishes it (docs/protocol.md "Cluster").
struct node_info {
  std::string name;
  std::string host;  ///< REST address clients connect to
  uint16_t port = 0;
  std::string api_host;  ///< node-to-node address
  uint16_t api_port = 0;
  bool active = true;
  std::vector<int> hash_range;  ///< owned slots
  std::vector<std::string> twins;
  int64_t joined_at_ms = 0;  ///< wall-clock join time: orders the balanced layout
  /// Start time of the node's current process: a restarted node (same name, same join time)
  /// is a new, empty holder that must be given its slots' data again.
  int64_t incarnation = 0;
  /// Bumped by the node itself whenever its facts change (twins, leaving): a peer's older copy
  /// of those facts never overwrites a newer one.
  int64_t version = 0;
  bool leaving = false;  ///< handing its slots over before it exits; holds none in the layout
  /// Some node has reached it since it joined, so it takes its share of the slots. A joining
  /// node gets none before that (its first contact must not move slots to nodes without its
  /// data). Once set, peers keep it set.
  bool ranked = false;
  /// A voting member that holds no slots (Settings.Witness): it counts towards a majority and
  /// forwards whatever it is asked to the owners.
  bool witness = false;
  /// The members this node's own links do not reach right now: a node's slots are taken over
  /// only when a majority of the members cannot reach it (docs/cluster.md, "Partitions").
  std::vector<std::string> unreachable;
  /// The identity it votes under in the layout register (its vote file's; 0 until known): a
  /// node whose vote file was lost comes back under a new one (docs/cluster.md, "Layout
  /// epochs").
  uint64_t voter = 0;
};

}  // namespace ovo
