#pragma once
// The admin actor: what ovoctl talks to (through the cluster manager published on APIPort).

#include "actors/interfaces.hpp"
#include "actors/node_metrics.hpp"

#include <chrono>
#include <memory>

namespace ovo {

struct admin_state {
  static inline const char* name = "admin";
  std::string node_name;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  cluster_manager_actor cluster;
  std::vector<slot_holder_actor> holders;  ///< every shard
  std::shared_ptr<const node_metrics> metrics;
};

/// Answers ping, topology and status; runs leave, rebalance, join and twin changes through the
/// cluster manager. `holders` lists the shards.
admin_actor::behavior_type admin(admin_actor::stateful_pointer<admin_state> self,
                                 std::string node_name, cluster_manager_actor cluster,
                                 std::vector<slot_holder_actor> holders,
                                 std::shared_ptr<const node_metrics> metrics);

}  // namespace ovo
