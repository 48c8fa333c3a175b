#pragma once
// What the cluster manager reports to the admin actor: its part of this node's status, and the
// dashboard's figures of the whole cluster (docs/protocol.md, "Dashboard").

#include "actors/cluster_manager.hpp"
#include "actors/slot_mover.hpp"

namespace ovo {

/// This node's slots, whether it is leaving, the slots still arriving here and the progress of
/// its rebalancing pass; the admin actor adds the shards' counts.
node_status cluster_part_of_status(cluster_manager_self self);

/// The view, the slot map, and every other member's status, asked over its peer connection;
/// one that is unreachable or silent for dashboard_peer_timeout is reported unanswered. This
/// node's own status is left to the caller.
caf::result<cluster_figures> gather_cluster_figures(cluster_manager_self self);

}  // namespace ovo
