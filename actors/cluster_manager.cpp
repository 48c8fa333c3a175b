#include "cluster_manager.hpp"

#include "command_handlers.hpp"
#include "logging.hpp"
#include "peer_connection.hpp"
#include "slot_layout.hpp"

namespace ovo {
namespace {

using self_ptr = cluster_manager_actor::stateful_pointer<cluster_manager_state>;

void ensure_peer(self_ptr self, const node_info& node) {
  auto& st = self->state;
  if (node.name == st.view->self().name || st.peers.count(node.name)) return;
  auto me = caf::actor_cast<cluster_manager_actor>(self);
  st.peers[node.name] = self->spawn(peer_connection, node.name, node.api_host, node.api_port,
                                    st.view->self(), me);
}

/// The connection to node `index` of the view; invalid for this node (index 0) and `none`.
/// view_changed() spawns a connection for every known node before routing is published.
peer_connection_actor connection_to(self_ptr self, std::size_t index) {
  auto& st = self->state;
  if (index == 0 || index == cluster_view::none) return {};
  auto it = st.peers.find(st.view->nodes()[index].name);
  return it == st.peers.end() ? peer_connection_actor{} : it->second;
}

void publish_routing(self_ptr self) {
  auto& st = self->state;
  auto table = std::make_shared<routing_table>();
  for (std::size_t slot = 0; slot < slot_count; ++slot) {
    table->remote_owner[slot] = connection_to(self, st.view->owners()[slot]);
    table->replica[slot] = connection_to(self, st.view->replicas()[slot]);
  }
  st.routing->publish(std::move(table));
}

std::string describe(const cluster_view& view) {
  std::string text;
  for (const auto& node : view.nodes()) {
    if (!text.empty()) text += ", ";
    text += node.name + (node.active ? "" : " (INACTIVE)") + " " +
            std::to_string(node.hash_range.size()) + " slots";
  }
  return text;
}

/// Everything that follows a change of the view.
void view_changed(self_ptr self) {
  auto& st = self->state;
  for (const auto& node : st.view->nodes()) ensure_peer(self, node);
  publish_routing(self);
  for (const auto& [name, peer] : st.peers) self->send(peer, caf::update_atom_v, st.view->nodes());
  component_log("cluster")->info("topology: {}", describe(*st.view));
  if (st.on_change) st.on_change(st.view->nodes());
}

template <class Deliver>
void answer_query(self_ptr self, const command& cmd, Deliver deliver) {
  reply answer;
  const auto& nodes = self->state.view->nodes();
  if (cmd.kind == op::cluster_view) {
    answer.kind = payload::nodes;
    answer.nodes = nodes;
  } else if (cmd.kind == op::cluster_me) {
    answer.kind = payload::node;
    answer.nodes = {nodes.front()};
  } else {
    answer = failure(status::bad_request, "not a cluster query");
  }
  deliver(std::move(answer));
}

shard_actor shard_for(self_ptr self, const std::string& key) {
  const auto& shards = self->state.local.shards;
  return shards[shard_of_slot(slot_of(key), shards.size())];
}

}  // namespace

cluster_manager_actor::behavior_type cluster_manager(self_ptr self, node_info me,
                                                     local_targets local,
                                                     std::shared_ptr<routing_holder> routing,
                                                     std::vector<node_info> seeds,
                                                     topology_listener on_change) {
  auto& st = self->state;
  st.view = std::make_unique<cluster_view>(std::move(me));
  st.local = std::move(local);
  st.routing = std::move(routing);
  st.on_change = std::move(on_change);
  for (const auto& seed : seeds) ensure_peer(self, seed);
  publish_routing(self);
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (const auto& [name, peer] : self->state.peers) self->send_exit(peer, msg.reason);
    self->state.peers.clear();
    self->quit(msg.reason);
  });
  auto runner = [self](const command& cmd, auto deliver) { answer_query(self, cmd, deliver); };
  return {
      sink_handler(runner),
      response_handler(self, runner),
      [self](caf::forward_atom, command& cmd) -> caf::result<reply> {
        // Served here whatever our view says: a second forward could loop between two nodes
        // whose views briefly disagree.
        if (is_counter_op(cmd.kind))
          return self->delegate(self->state.local.counters, exec_atom_v, std::move(cmd));
        if (is_node_wide_op(cmd.kind))
          return failure(status::bad_request, "node-wide commands are not forwarded");
        auto shard = shard_for(self, cmd.key);
        return self->delegate(shard, exec_atom_v, std::move(cmd));
      },
      [self](adopt_atom, object_record& record) -> caf::result<bool> {
        auto shard = shard_for(self, record.key);
        return self->delegate(shard, adopt_atom_v, std::move(record));
      },
      [self](replicate_atom, replica_write& write) -> caf::result<bool> {
        if (write.counter)
          return self->delegate(self->state.local.counters, replicate_atom_v, std::move(write));
        auto shard = shard_for(self, write.record.key);
        return self->delegate(shard, replicate_atom_v, std::move(write));
      },
      [self](caf::join_atom, node_info& joiner) -> std::vector<node_info> {
        if (self->state.view->merge(joiner)) view_changed(self);
        return self->state.view->nodes();
      },
      [self](caf::update_atom, std::vector<node_info>& nodes) {
        bool changed = false;
        for (const auto& node : nodes) changed = self->state.view->merge(node) || changed;
        if (changed) view_changed(self);
      },
      [self](peer_state_atom, std::string& name, bool up) {
        if (self->state.view->set_active(name, up)) view_changed(self);
      },
  };
}

}  // namespace ovo
