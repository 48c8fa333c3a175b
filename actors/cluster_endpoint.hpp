#pragma once
// What a node publishes on its APIPort. The cluster manager also serves its own node and
// ovoctl's admin actor; this actor accepts only what a peer may send (cluster_peer_actor) and
// passes it on, so a remote sender can reach no other part of the manager.

#include "actors/interfaces.hpp"

namespace ovo {

struct cluster_endpoint_state {
  static inline const char* name = "cluster_endpoint";
  cluster_manager_actor manager;
  admin_actor admin;        ///< handed to ovoctl
  std::string admin_token;  ///< what ovoctl must present; "": loopback connections only
};

/// Passes every peer message on to `manager` (the sender stays the peer, so answers go straight
/// back to it) and hands `admin` to ovoctl when it presents `admin_token` (compared in constant
/// time) or, with no token configured, connects over loopback. Quits with the manager.
cluster_endpoint_actor::behavior_type cluster_endpoint(
    cluster_endpoint_actor::stateful_pointer<cluster_endpoint_state> self,
    cluster_manager_actor manager, admin_actor admin, std::string admin_token);

}  // namespace ovo
