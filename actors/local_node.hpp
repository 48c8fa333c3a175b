#pragma once
// Spawns one node's actors and routes each command to the actor that owns it.

#include "actors/cluster_manager.hpp"
#include "actors/gathered_replies.hpp"
#include "actors/interfaces.hpp"
#include "actors/node_metrics.hpp"
#include "actors/routing_table.hpp"
#include "config/server_config.hpp"
#include "core/clock.hpp"

#include <caf/all.hpp>

#include <functional>
#include <memory>
#include <optional>

namespace ovo {

class local_node {
 public:
  /// Spawns the shards (objects and counters, each with its own expiry), the keyspace, the cluster
  /// manager, the admin actor and the cluster endpoint, and wires them together. The cluster
  /// manager starts contacting the configured peers at once; `on_topology_change` hears every new
  /// view. `transport` connects to peers: CAF's middleman when null, else the TLS one.
  /// `layout_votes` keeps the node's vote in the layout register across restarts.
  local_node(caf::actor_system& system, const server_config& config,
             std::shared_ptr<const clock_source> clock, topology_listener on_topology_change = {},
             caf::io::middleman_actor transport = {}, layout_vote_store layout_votes = {});

  /// Sends `cmd` to its owner (a local actor, or the connection to the owning node); the answer
  /// arrives at `sink`. Thread-safe: it reads handles fixed at construction and the published
  /// routing table, so any REST thread may call it. The actors the message wakes run on the
  /// calling thread before it returns (inline_execution.hpp): call it from outside CAF.
  void route(command cmd, reply_sink_ptr sink) const;

  /// Routes single-key commands together (a bulk request) and gives `done` their replies in
  /// command order once all arrived. Every command is sent before this returns, and those of
  /// one remote owner go to its connection in one message, so they travel to that node in one
  /// forward message (docs/protocol.md, "Bulk"). Thread-safe like route.
  void route_many(std::vector<command> commands, gathered_replies::done_fn done) const;

  /// This node's figures (ovoctl status's), delivered to `done` on a CAF thread; nothing when
  /// they could not be gathered in time. Never blocks the caller.
  void gather_status(std::function<void(std::optional<node_status>)> done) const;
  /// Gathers the dashboard's figures of the whole cluster (over the peer links) into `sink`.
  /// Thread-safe and never blocks, like route.
  void gather_figures(figures_sink_ptr sink) const;

  /// Tells every actor to stop; ~actor_system then waits for them.
  void stop() const;

  const std::vector<shard_actor>& shards() const { return shards_; }
  const cluster_manager_actor& cluster() const { return cluster_; }
  /// What the node publishes on its APIPort for peers and ovoctl.
  const cluster_endpoint_actor& endpoint() const { return endpoint_; }
  /// This node as it introduced itself to the cluster (join time included).
  const node_info& self_info() const { return self_info_; }

 private:
  /// The local shard serving `slot`.
  const shard_actor& shard_for(int slot) const;

  node_info self_info_;
  std::shared_ptr<routing_holder> routing_;
  std::shared_ptr<node_metrics> metrics_;
  std::vector<shard_actor> shards_;
  heap_trimmer_actor trimmer_;
  keyspace_actor keyspace_;
  cluster_manager_actor cluster_;
  admin_actor admin_;
  cluster_endpoint_actor endpoint_;
};

/// This node as the cluster API shows it, from its configuration.
node_info describe_self(const server_config& config);

/// The configured peers to contact at start (Topology.Nodes without this node).
std::vector<node_info> seed_nodes(const server_config& config);

}  // namespace ovo
