#pragma once
#include <chrono>

#include "interfaces.hpp"

namespace ovo {

struct peer_connection_state {
  static inline const char* name = "peer_connection";
  std::string peer_name;
  std::string api_host;
  uint16_t api_port = 0;
  node_info me;                      ///< introduced to the peer on every (re)connect
  cluster_manager_actor local;       ///< our cluster manager: told about views and up/down
  cluster_manager_actor remote;      ///< the peer's cluster manager; invalid while disconnected
  std::chrono::milliseconds backoff;  ///< wait before the next attempt
  bool connecting = false;
};

/// Connects to the node `peer_name` at api_host:api_port and keeps the connection:
///
///   (start) --connect--> connecting --joined--> connected --down--> (retry after backoff)
///                            |                                          ^
///                            +--------------- failed -------------------+
///
/// While disconnected, forwarded commands are answered 503/"14" at once instead of queueing.
peer_connection_actor::behavior_type peer_connection(
    peer_connection_actor::stateful_pointer<peer_connection_state> self, std::string peer_name,
    std::string api_host, uint16_t api_port, node_info me, cluster_manager_actor local);

}  // namespace ovo
