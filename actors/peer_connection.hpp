#pragma once
#include "actors/interfaces.hpp"
#include "actors/routing_table.hpp"
#include "core/request_batch.hpp"

#include <caf/io/middleman_actor.hpp>

#include <chrono>
#include <functional>
#include <unordered_map>

namespace ovo {

/// How a peer connection behaves (from the cluster manager's options).
struct peer_link_options {
  /// A replica write not confirmed within this fails (the holder leaves the in-sync set).
  std::chrono::milliseconds replica_timeout{2000};
  /// Probe the peer's APIPort before asking the middleman to connect (see connect below);
  /// off only where there is no network (CAF's test multiplexer).
  bool probe_first = true;
  /// Connects to the peer: CAF's middleman when null, else the TLS one (tls_transport.hpp).
  caf::io::middleman_actor transport;
  /// This node's routing: its epoch stamps what is sent (none: epoch 0).
  std::shared_ptr<const routing_holder> routing;
};

struct peer_connection_state {
  static inline const char* name = "peer_connection";
  std::string peer_name;
  std::string api_host;
  uint16_t api_port = 0;
  node_info me;                   ///< introduced to the peer on every (re)connect
  cluster_manager_actor local;    ///< our cluster manager: told about views and up/down
  cluster_endpoint_actor remote;  ///< the peer's cluster endpoint; invalid while disconnected
  peer_link_options options;
  std::chrono::milliseconds backoff;  ///< wait before the next attempt
  /// An attempt is under way (probing, connecting or joining); while probing, it waits for
  /// the answer of probe number `probe_round` (a newer attempt makes older answers stale).
  bool connecting = false;
  bool probing = false;
  uint64_t probe_round = 0;
  /// When the peer last answered a liveness ping (or the handshake): how long it had been
  /// silent when the link drops.
  std::chrono::steady_clock::time_point last_heard;
  bool pinging = false;     ///< the ping loop runs (one at a time, across reconnects)
  int failed_attempts = 0;  ///< since the last success (logged at a low rate)
  /// The first attempt to reach the peer is still under way: forwarded commands wait for it
  /// (at most forward_timeout) instead of failing. A node that just learned of a joiner by
  /// gossip may route the joiner's slots to it before its own link is up.
  bool first_link_pending = true;
  /// Forwarded commands and replica writes: gathered until a flush, sent as one message each.
  request_batch<command, reply_sink_ptr> forwards;
  request_batch<replica_write, caf::typed_response_promise<bool>> replicas;
  bool flush_queued = false;  ///< a flush is on its way
  caf::actor turn_end;        ///< sends the flush back at the end of the scheduler's queue
  bool check_queued = false;  ///< a tick (look for overdue batches) is on its way
  /// Relayed requests not answered yet, each with what fails it. CAF 0.17 never answers a
  /// request whose remote node went away (it waits for the timeout: 30 s for a slot push), so
  /// these are failed when the connection drops.
  std::unordered_map<uint64_t, std::function<void(caf::error)>> relayed;
  uint64_t next_relay = 0;
};

/// Connects to the node `peer_name` at api_host:api_port and keeps the connection:
///
///   (start) --connect--> probing --answers--> connecting --joined--> connected --down-->
///                          |                     |                                 |
///                          +------ failed -------+---------------------------------+
///                                                       (retry after backoff, forever)
///
/// The probe (tcp_probe.hpp) keeps the middleman's blocking connect away from unreachable
/// hosts, so a healed link is used within one backoff. When the peer reaches this node (its
/// handshake), an attempt starts at once, replacing a probe that is still waiting for an
/// answer from before the heal (a SYN into a cut link is answered only by the kernel's retry).
/// While connected it pings the peer every liveness_ping_interval; a dropped link reports how
/// long the peer had been silent.
///
/// While disconnected, forwarded commands are answered 503/"14" at once instead of queueing,
/// except during the first attempt to reach the peer, which they wait for (at most
/// forward_timeout).
/// Forwarded commands and replica writes that arrive together are sent together: the first one
/// asks for a flush that comes back once the actors waiting for the scheduler had their turn
/// (see flush_after_turn). While a batch of a kind is unanswered, new ones of that kind wait for
/// its answer and go out with it as the next batch: under load a batch holds what arrived during
/// one round trip, and the answer (already on an actor thread) sends it without another wake-up.
/// Every other message to the peer flushes first, so nothing overtakes an earlier replica write
/// (a slot copy included), and is relayed as a request of its own, failed at once if the
/// connection drops before the answer.
peer_connection_actor::behavior_type peer_connection(
    peer_connection_actor::stateful_pointer<peer_connection_state> self, std::string peer_name,
    std::string api_host, uint16_t api_port, node_info me, cluster_manager_actor local,
    peer_link_options options);

}  // namespace ovo
