#pragma once
#include "interfaces.hpp"
#include "node_info.hpp"

namespace ovo {

struct cluster_manager_state {
  static inline const char* name = "cluster_manager";
  std::vector<node_info> nodes;  ///< nodes[0] is this node
};

/// Holds the cluster view and answers /ovo/cluster and /ovo/cluster/me. A lone node owns every
/// slot; joining other nodes is the cluster work's job.
cluster_manager_actor::behavior_type cluster_manager(
    cluster_manager_actor::stateful_pointer<cluster_manager_state> self, node_info me);

}  // namespace ovo
