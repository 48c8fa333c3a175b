#include "actors/local_node.hpp"

#include "actors/admin.hpp"
#include "actors/cluster_endpoint.hpp"
#include "actors/cluster_manager.hpp"
#include "actors/heap_trimmer.hpp"
#include "actors/inline_execution.hpp"
#include "actors/keyspace.hpp"
#include "actors/shard.hpp"
#include "config/defaults.hpp"
#include "core/slot_layout.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace ovo {

local_node::local_node(caf::actor_system& system, const server_config& config,
                       std::shared_ptr<const clock_source> clock,
                       topology_listener on_topology_change, caf::io::middleman_actor transport,
                       layout_vote_store layout_votes)
    : self_info_(describe_self(config)),
      routing_(std::make_shared<routing_holder>()),
      metrics_(std::make_shared<node_metrics>()) {
  const auto& settings = config.settings;
  std::vector<caf::actor_addr> peers;
  metrics_->max_memory_bytes = settings.max_memory_bytes;
  const auto limit =
      memory_limit::per_shard(settings.max_memory_bytes, settings.eviction, settings.shards);
  for (uint32_t i = 0; i < settings.shards; ++i) {
    shards_.push_back(system.spawn(shard, i, version_tag_of(self_info_.name), clock,
                                   std::chrono::milliseconds(settings.expiry_sweep_ms), routing_,
                                   metrics_, limit));
    peers.push_back(shards_.back().address());
  }
  // Detached: a trim holds its thread while it walks the heap's arenas.
  trimmer_ = system.spawn<caf::detached>(
      heap_trimmer, std::vector<slot_holder_actor>(shards_.begin(), shards_.end()),
      std::chrono::milliseconds(defaults::heap_trim_interval));
  for (const auto& s : shards_) caf::anon_send(s, peers_atom_v, peers);
  // Detached: merging a listing of every key and its answer (19 MB at 1M keys) took 0.4 s on
  // whichever thread woke the keyspace last, often a REST reactor serving GETs (inline
  // execution), and every GET on that reactor waited (GET p99 150x idle during listings).
  keyspace_ = system.spawn<caf::detached>(keyspace, shards_);
  cluster_options options;
  options.keep_replicas = settings.replication != replication_mode::off;
  options.answer_before_replicas = settings.replication == replication_mode::async;
  options.min_copies =
      settings.replication == replication_mode::sync ? static_cast<int>(settings.min_copies) : 1;
  options.replica_timeout = std::chrono::milliseconds(settings.replica_timeout_ms);
  options.dead_node_removal = std::chrono::seconds(settings.dead_node_removal_seconds);
  options.verify_interval = std::chrono::seconds(settings.verify_interval_seconds);
  options.majority_rule = settings.partitions == partition_policy::majority;
  options.node_timeout = std::chrono::milliseconds(settings.node_timeout_ms);
  options.reads_in_minority = settings.reads_in_minority;
  options.stepbrothers = config.stepbrothers;
  options.metrics = metrics_;
  options.transport = std::move(transport);
  options.layout_votes = std::move(layout_votes);
  cluster_ = system.spawn(cluster_manager, self_info_, local_targets{shards_}, routing_,
                          seed_nodes(config), std::move(on_topology_change), options);
  // The cluster manager starts on a CAF worker; until it published its first routing table
  // the shards refuse every key command. Waiting here (start-up, not a request thread) lets
  // the node serve from its first request.
  const auto deadline = std::chrono::steady_clock::now() + defaults::startup_wait;
  while (!routing_->current() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::vector<slot_holder_actor> holders(shards_.begin(), shards_.end());
  admin_ = system.spawn(ovo::admin, self_info_.name, cluster_, std::move(holders), metrics_);
  endpoint_ = system.spawn(cluster_endpoint, cluster_, admin_, settings.admin_token);
}

void local_node::route(command cmd, reply_sink_ptr sink) const {
  metrics_->count(cmd.kind);
  switch (cmd.kind) {
    case op::count_keys:
    case op::list_keys:
      send_and_run_here(keyspace_, exec_atom_v, std::move(cmd), std::move(sink));
      return;
    case op::cluster_view:
    case op::cluster_me:
    case op::readiness:
      send_and_run_here(cluster_, exec_atom_v, std::move(cmd), std::move(sink));
      return;
    default:
      break;
  }
  const int slot = slot_of(cmd.key);
  if (auto remote = routing_->remote_owner_of(slot)) {
    metrics_->forwarded.fetch_add(1, std::memory_order_relaxed);
    send_and_run_here(remote, exec_atom_v, std::move(cmd), std::move(sink));
  } else {
    send_and_run_here(shard_for(slot), exec_atom_v, std::move(cmd), std::move(sink));
  }
}

void local_node::route_many(std::vector<command> commands, gathered_replies::done_fn done) const {
  auto sinks = gathered_replies::start(commands.size(), std::move(done));
  /// The commands of one remote owner, for one message to its connection.
  struct owner_group {
    peer_connection_actor connection;
    std::vector<command> commands;
    std::vector<reply_sink_ptr> sinks;
  };
  std::vector<owner_group> remote;         // a handful of owners: a linear search is enough
  const auto table = routing_->current();  // one view for the whole request
  for (std::size_t i = 0; i < commands.size(); ++i) {
    metrics_->count(commands[i].kind);
    const int slot = slot_of(commands[i].key);
    auto owner = remote_owner_in(table.get(), slot);
    if (!owner) {
      send_and_run_here(shard_for(slot), exec_atom_v, std::move(commands[i]), std::move(sinks[i]));
      continue;
    }
    auto group = std::find_if(remote.begin(), remote.end(),
                              [&](const owner_group& g) { return g.connection == owner; });
    if (group == remote.end()) group = remote.insert(remote.end(), {std::move(owner), {}, {}});
    group->commands.push_back(std::move(commands[i]));
    group->sinks.push_back(std::move(sinks[i]));
  }
  for (auto& group : remote) {
    metrics_->forwarded.fetch_add(group.commands.size(), std::memory_order_relaxed);
    send_and_run_here(group.connection, exec_atom_v, std::move(group.commands),
                      std::move(group.sinks));
  }
}

const shard_actor& local_node::shard_for(int slot) const {
  return shards_[shard_of_slot(slot, shards_.size())];
}

void local_node::gather_status(std::function<void(std::optional<node_status>)> done) const {
  // A short-lived actor asks the admin actor; it ends once the answer or the timeout came.
  admin_->home_system().spawn(
      [admin = admin_, done = std::move(done)](caf::event_based_actor* self) {
        self->request(admin, defaults::node_query_timeout, status_atom_v)
            .then([done](node_status& status) { done(std::move(status)); },
                  [done](caf::error&) { done(std::nullopt); });
      });
}

void local_node::gather_figures(figures_sink_ptr sink) const {
  send_and_run_here(admin_, dashboard_atom_v, std::move(sink));
}

void local_node::stop() const {
  for (const auto& s : shards_) caf::anon_send_exit(s, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(trimmer_, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(keyspace_, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(cluster_, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(admin_, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(endpoint_, caf::exit_reason::user_shutdown);
}

std::vector<node_info> seed_nodes(const server_config& config) {
  std::vector<node_info> seeds;
  for (const auto& node : config.topology) {
    if (node.name == config.self.name) continue;
    node_info seed;
    seed.name = node.name;
    seed.host = node.host;
    seed.port = node.port;
    seed.api_host = node.api_host.empty() ? node.host : node.api_host;
    seed.api_port = node.api_port;
    seeds.push_back(std::move(seed));
  }
  return seeds;
}

node_info describe_self(const server_config& config) {
  node_info me;
  me.name = config.self.name;
  me.host = config.self.host;
  if (me.host.empty()) {
    // Bound to every interface: publish the machine's name so clients have something to dial.
    char hostname[256] = {};
    me.host = ::gethostname(hostname, sizeof hostname - 1) == 0 ? hostname : "127.0.0.1";
  }
  me.port = config.self.port;
  me.api_host = config.self.api_host.empty() ? me.host : config.self.api_host;
  me.api_port = config.self.api_port;
  me.active = true;
  me.witness = config.settings.witness;
  if (!me.witness) me.hash_range = balanced_layout(1).front();
  me.twins = config.twins;
  // A restart from <conf>.temp keeps the recorded join time, and so its place in the layout.
  for (const auto& node : config.topology)
    if (node.name == me.name && node.joined_at_ms != 0) me.joined_at_ms = node.joined_at_ms;
  me.incarnation = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  if (me.joined_at_ms == 0) me.joined_at_ms = me.incarnation;
  return me;
}

}  // namespace ovo
