#pragma once
// The cluster manager's side of what peers send for this node's data: forwarded commands and
// replica writes, one at a time or in the batches a peer connection gathers.

#include "actors/cluster_manager.hpp"

#include <functional>
#include <vector>

namespace ovo {

/// The local shard that holds `slot`.
shard_actor shard_for_slot(cluster_manager_self self, int slot);

/// The local shard that holds `key`.
shard_actor shard_for(cluster_manager_self self, const std::string& key);

/// Serves one command forwarded by a peer (see run_forwarded in the .cpp).
caf::result<reply> serve_forwarded(cluster_manager_self self, command cmd);

/// Serves forwarded commands; `done` gets their replies, in the same order.
void serve_forwarded(cluster_manager_self self, std::vector<command> commands,
                     std::function<void(std::vector<reply>)> done);

/// Applies replica writes in order; `done` learns whether every one was stored.
void apply_replicas(cluster_manager_self self, std::vector<replica_write> writes,
                    std::function<void(bool)> done);

}  // namespace ovo
