#include "actors/cluster_manager.hpp"

#include "actors/anti_entropy.hpp"
#include "actors/cluster_report.hpp"
#include "actors/command_handlers.hpp"
#include "actors/fan_in.hpp"
#include "actors/lagging_holders.hpp"
#include "actors/layout_agreement.hpp"
#include "actors/peer_connection.hpp"
#include "actors/peer_requests.hpp"
#include "actors/slot_arrivals.hpp"
#include "config/defaults.hpp"
#include "core/logging.hpp"
#include "core/slot_hash.hpp"
#include "core/slot_layout.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>

namespace ovo {
namespace {

using self_ptr = cluster_manager_actor::stateful_pointer<cluster_manager_state>;

/// How the connection to a node known only by address (ovoctl join) is named until it answers.
constexpr const char* seed_prefix = "seed ";

peer_link_options link_options(const cluster_options& options,
                               std::shared_ptr<const routing_holder> routing) {
  return {options.replica_timeout, options.probe_peers, options.transport, std::move(routing)};
}

void ensure_peer(self_ptr self, const node_info& node) {
  auto& st = self->state;
  if (node.name == st.view->self().name || st.peers.count(node.name)) return;
  auto me = caf::actor_cast<cluster_manager_actor>(self);
  st.peers[node.name] = self->spawn(peer_connection, node.name, node.api_host, node.api_port,
                                    st.view->self(), me, link_options(st.options, st.routing));
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
  table->epoch = st.acceptor ? st.acceptor->installed().epoch : 0;
  const auto& nodes = st.view->nodes();
  for (std::size_t slot = 0; slot < slot_count; ++slot) {
    table->remote_owner[slot] = connection_to(self, st.view->owners()[slot]);
    table->unplaced[slot] = st.view->unplaced(slot);
    for (auto index : st.view->replicas()[slot])
      if (auto twin = connection_to(self, index)) {
        table->replicas[slot].push_back(twin);
        table->replica_names[slot].push_back(nodes[index].name);
      }
    if (auto it = st.peers.find(st.previous_owner[slot]); it != st.peers.end())
      table->previous_owner[slot] = it->second;
  }
  table->answer_before_replicas = st.options.answer_before_replicas;
  // A cluster down to fewer data nodes than MinCopies keeps accepting writes with what it has.
  const auto serving = std::count_if(nodes.begin(), nodes.end(),
                                     [](const node_info& n) { return !n.hash_range.empty(); });
  table->copies_needed =
      std::max<int>(1, std::min<int>(st.options.min_copies, static_cast<int>(serving)));
  table->in_minority = st.in_minority;
  table->lagging_holders_block = st.options.majority_rule;
  for (const auto& node : nodes)
    if (2 * st.view->suspecting(node.name) > nodes.size())
      table->down_by_majority.push_back(node.name);
  for (int slot = 0; slot < slot_count; ++slot)
    table->agreed_lagging[static_cast<std::size_t>(slot)] = lagging_not_waited_for(self, slot);
  table->witness = st.view->self().witness;
  table->joining = st.joining;
  table->reads_in_minority = st.options.reads_in_minority;
  st.routing->publish(std::move(table));
}

/// Whether this node and the peers it has a link to are more than half of the members (every
/// node of the view, reachable or not: docs/cluster.md, "Partitions").
bool reaches_majority(self_ptr self, std::size_t* reachable = nullptr,
                      std::size_t* members = nullptr) {
  auto& st = self->state;
  // The configured peers count before they were ever reached: a node restarted while cut off
  // from them is a minority of one, not a cluster of one.
  std::set<std::string> all;
  for (const auto& node : st.view->nodes()) all.insert(node.name);
  for (const auto& [name, peer] : st.peers) all.insert(name);
  std::size_t count = 1;
  for (const auto& name : all)
    if (name != st.view->self().name && st.links_up.count(name)) ++count;
  if (reachable) *reachable = count;
  if (members) *members = all.size();
  return 2 * count > all.size();
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

void check_majority(self_ptr self);

/// Everything that follows a change of the view.
void view_changed(self_ptr self) {
  auto& st = self->state;
  for (const auto& node : st.view->nodes()) ensure_peer(self, node);
  // Before the new routing: the holders must know before the first request that uses it.
  expect_new_slots(self);
  adopt_lagging_holders(self, false);
  note_previous_owners(self);
  publish_routing(self);
  self->delayed_send(self, defaults::rebalance_delay, rebalance_atom_v);
  for (const auto& [name, peer] : st.peers) self->send(peer, caf::update_atom_v, st.view->nodes());
  component_log("cluster")->info("topology: {}", describe(*st.view));
  if (st.on_change) st.on_change(st.view->nodes());
  check_majority(self);  // the membership may have grown or shrunk
  want_layout(self);
}

/// Why this node is not ready to serve (GET /readyz), or nothing when it is: it has a settled
/// view (a majority reached, no pass moving slots), none of its slots is still arriving, and
/// it is not leaving.
std::optional<std::string> unready_because(self_ptr self) {
  const auto& st = self->state;
  if (st.view->self().leaving) return "this node is leaving the cluster";
  if (st.in_minority) return "this node cannot reach a majority of the cluster's members";
  const auto arriving = std::count_if(st.arrivals.begin(), st.arrivals.end(),
                                      [](const slot_arrival& arrival) { return arrival.open; });
  if (arriving > 0) return std::to_string(arriving) + " of this node's slots are still arriving";
  if (st.mover.running) return "a rebalancing pass is moving slots";
  return std::nullopt;
}

template <class Deliver>
void answer_query(self_ptr self, const command& cmd, Deliver deliver) {
  reply answer;
  if (cmd.kind == op::cluster_view) {
    answer.kind = payload::nodes;
    answer.nodes = self->state.view->served_nodes();
  } else if (cmd.kind == op::cluster_me) {
    answer.kind = payload::node;
    answer.nodes = {self->state.view->served_nodes().front()};
  } else if (cmd.kind == op::readiness) {
    if (auto reason = unready_because(self))
      answer = failure(status::unavailable, "not ready: " + *reason);
  } else {
    answer = failure(status::bad_request, "not a cluster query");
  }
  deliver(std::move(answer));
}

/// Others may have served this node's slots meanwhile (it was in a minority): every slot it
/// holds arrives again, read through to and pulled from the nodes that served it, whose copies
/// replace the ones here (arrival_guard::admit). Who served them: the next view a peer sends
/// tells (bootstrap_previous_owners).
void distrust_held_slots(self_ptr self) {
  auto& st = self->state;
  st.held.fill(false);
  st.bootstrapped = false;
  st.distrust_local_copies = true;
  view_changed(self);
}

/// Enters or leaves the minority state after a link or the membership changed (PartitionPolicy
/// "majority"). Back from a minority, everything this node holds may be stale (the majority may
/// have served its slots meanwhile): distrust_held_slots.
void check_majority(self_ptr self) {
  auto& st = self->state;
  if (!st.options.majority_rule) return;
  std::size_t reachable = 0, members = 0;
  const bool minority = !reaches_majority(self, &reachable, &members);
  if (minority == st.in_minority) {
    st.had_majority = st.had_majority || !minority;
    return;
  }
  st.in_minority = minority;
  if (minority) {
    component_log("cluster")->warn(
        "reaching {} of {} members, no majority: serving nothing and taking nothing over "
        "until a majority is reachable again",
        reachable, members);
    publish_routing(self);
    return;
  }
  if (!st.had_majority) {
    // The first majority since the start: the start itself treated every slot as arriving.
    st.had_majority = true;
    component_log("cluster")->info("reaching {} of {} members: serving", reachable, members);
    publish_routing(self);
    want_layout(self);
    return;
  }
  component_log("cluster")->warn(
      "reaching {} of {} members again: serving; the slots held here are reconciled with "
      "the nodes that served them meanwhile",
      reachable, members);
  distrust_held_slots(self);
}

/// A node that has left for good: forget it, and stop connecting to it.
void forget(self_ptr self, const std::string& name) {
  auto& st = self->state;
  if (!st.view->forget(name)) return;
  if (auto it = st.peers.find(name); it != st.peers.end()) {
    self->send_exit(it->second, caf::exit_reason::user_shutdown);
    st.peers.erase(it);
  }
  st.links_up.erase(name);
  component_log("cluster")->info("{} left the cluster", name);
  view_changed(self);
  check_majority(self);  // one member fewer
}

/// A stepbrother adds this node to its twins (it then keeps replicas of the stepbrother's slots).
void ask_stepbrother(self_ptr self, const std::string& name) {
  auto& st = self->state;
  const auto& brothers = st.options.stepbrothers;
  auto peer = st.peers.find(name);
  if (peer == st.peers.end() || std::find(brothers.begin(), brothers.end(), name) == brothers.end())
    return;
  self->request(peer->second, defaults::peer_join_timeout, twin_atom_v, st.view->self().name, true)
      .then(
          [name](bool) {
            component_log("cluster")->info("stepbrother {} took this node as its twin", name);
          },
          [self, name](caf::error& err) {
            component_log("cluster")->warn("stepbrother {} did not take this node as its twin: {}",
                                           name, self->system().render(err));
          });
}

/// Tells the peers which members this node's links do not reach (a new version of its facts),
/// so each side can tell a node nobody reaches from a link only some cannot use.
void publish_unreachable(self_ptr self) {
  auto& st = self->state;
  std::vector<std::string> unreachable;
  for (const auto& node : st.view->nodes())
    if (node.name != st.view->self().name && !st.links_up.count(node.name))
      unreachable.push_back(node.name);
  if (st.view->set_unreachable(std::move(unreachable))) view_changed(self);
}

/// The peer node that sent the message being handled (by its handshake), or "" when unknown.
std::string sender_name(self_ptr self) {
  const auto sender = self->current_sender();
  if (!sender) return {};
  const auto from = self->state.peer_nodes.find(sender->node());
  return from == self->state.peer_nodes.end() ? std::string{} : from->second;
}

/// Marks `name` INACTIVE (its slots fail over) and starts the clock towards its removal.
void take_over(self_ptr self, const std::string& name) {
  if (!self->state.view->find(name)) return;
  // Under the majority rule the taken-over node is told before it serves again; with
  // PartitionPolicy "available" both sides served and versions decide after the heal.
  if (self->state.options.majority_rule) self->state.taken_over.insert(name);
  if (self->state.view->set_active(name, false)) view_changed(self);
  const auto removal = self->state.options.dead_node_removal;
  if (removal.count() > 0)
    self->delayed_send(self, removal, remove_atom_v, name, self->state.link_changes[name]);
}

/// The link to `name`, which this node took over, is up again: it may have gone on serving its
/// slots without knowing (its own links came back first) and its copies miss what was written
/// here meanwhile. It counts as serving again only once it was told and distrusts its copies
/// (its acknowledgement: learned_taken_over); until then its replica writes and slot pushes
/// are refused (from_taken_over). Asked again while the link stays up and no acknowledgement
/// came. The notice is the link change it was sent in: an acknowledgement from before a flap
/// counts for nothing.
void tell_taken_over(self_ptr self, const std::string& name) {
  auto& st = self->state;
  auto peer = st.peers.find(name);
  if (peer == st.peers.end()) return;
  const auto change = st.link_changes[name];
  std::vector<std::string> owners(slot_count);
  for (std::size_t slot = 0; slot < slot_count; ++slot) owners[slot] = st.view->owner_name(slot);
  auto retry = [self, name, change](const std::string& why) {
    auto& st = self->state;
    if (st.link_changes[name] != change || !st.taken_over.count(name)) return;
    component_log("cluster")->warn("telling {} it was taken over failed: {}; retrying", name, why);
    self->delayed_send(self, defaults::takeover_recheck, takeover_atom_v, name, change);
  };
  self->request(peer->second, defaults::peer_join_timeout, takeover_atom_v, st.view->self().name,
                std::move(owners), st.acceptor->installed().epoch, change)
      .then(
          [retry](bool acknowledged) {
            if (!acknowledged) retry("its own link to this node is not up yet");
          },
          [self, retry](caf::error& err) { retry(self->system().render(err)); });
}

/// `name` acknowledged the takeover notice `notice` through its own connection, after every
/// replica write and slot push it sent before: none of those can be stored here any more, so it
/// counts as serving again.
void learned_taken_over(self_ptr self, const std::string& name, int64_t notice) {
  auto& st = self->state;
  if (sender_name(self) != name || st.link_changes[name] != notice || !st.links_up.count(name) ||
      !st.taken_over.erase(name))
    return;
  component_log("cluster")->info("{} knows it was taken over: serving again", name);
  if (st.view->set_active(name, true)) view_changed(self);
}

/// `taker` served this node's slots while it could not reach it: the slots this node holds are
/// read back from their owners, whose copies replace the ones here (arrival_guard::admit), by
/// the newer of two layouts, the taker's (`owners`, epoch `taker_epoch`) and the one installed
/// here. A peer's current view would not tell: there this node counts as serving again. A slot
/// that newer layout has this node own stays as it is: the cluster agreed to give it back
/// here, and this node's copy is the one writes since were acknowledged on (read back from the
/// taker, whose serving ended with that layout, it undid them). Answered once every shard has
/// opened the new windows (a shard's mailbox keeps order), so no command runs on the old
/// copies after the taker counts this node as serving again.
caf::result<bool> learn_taken_over(self_ptr self, const std::string& taker,
                                   const std::vector<std::string>& owners, uint64_t taker_epoch,
                                   int64_t notice) {
  auto& st = self->state;
  if (owners.size() != slot_count)
    return caf::make_error(caf::sec::invalid_argument, "a takeover names an owner per slot");
  const auto& installed = st.acceptor->installed();
  const auto& newer = installed.epoch > taker_epoch && installed.owners.size() == slot_count
                          ? installed.owners
                          : owners;
  component_log("cluster")->warn(
      "{} served this node's slots while it could not reach this node: reading them back from "
      "the nodes that serve them by layout epoch {} (their copies replace the ones here)",
      taker, std::max(installed.epoch, taker_epoch));
  const auto& me = st.view->self().name;
  for (std::size_t slot = 0; slot < slot_count; ++slot) {
    if (newer[slot].empty() || newer[slot] == me) continue;
    st.previous_owner[slot] = newer[slot];
    st.held[slot] = false;  // arrives again, distrusted
  }
  st.takeover_owners = newer;
  st.bootstrapped = true;  // a peer's view, still to come, would say less
  st.distrust_local_copies = true;
  view_changed(self);
  auto promise = self->make_response_promise<bool>();
  auto opened = fan_in<bool>::start(
      st.local.shards.size(), [self, promise, taker, notice](fan_in_result<bool>& all) mutable {
        if (!all.all_ok()) {
          promise.deliver(caf::make_error(caf::sec::runtime_error, all.first_failure));
          return;
        }
        // The shards sent their replica writes before they opened the new windows; the
        // acknowledgement follows them through the connection to the taker.
        auto peer = self->state.peers.find(taker);
        if (peer == self->state.peers.end()) {
          promise.deliver(false);
          return;
        }
        self->request(peer->second, defaults::node_query_timeout, takeover_atom_v, caf::ok_atom_v,
                      self->state.view->self().name, notice)
            .then([promise](bool sent) mutable { promise.deliver(sent); },
                  [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
      });
  for (std::size_t i = 0; i < st.local.shards.size(); ++i)
    self->request(st.local.shards[i], defaults::node_query_timeout, sizes_atom_v)
        .then(
            [opened, i](const std::vector<uint32_t>&, const std::vector<uint32_t>&, uint64_t,
                        uint32_t, uint64_t) { opened->value(i, true); },
            [self, opened, i](caf::error& err) { opened->failure(i, self->system().render(err)); });
  return promise;
}

/// Whether the message being handled comes from a node this one took over and has not told
/// yet: it may still act as the owner of its slots (its own links came back first). Nothing it
/// applies is acknowledged, so its replica writes and slot pushes are refused, for every slot:
/// the layout without it may give its slots to a node other than their replica holder, which
/// would otherwise confirm writes the new owner never sees.
bool from_taken_over(self_ptr self) {
  return !self->state.taken_over.empty() && self->state.taken_over.count(sender_name(self)) > 0;
}

/// Whether the message being handled is stamped with a layout epoch older than the one
/// installed here: its sender acts under a layout the cluster replaced (docs/cluster.md, "Epoch
/// stamps"). That sender is sent the installed layout, so it learns it within a round trip
/// instead of waiting for an announcement it may have missed (a link cut from the proposer).
/// Whether its message is refused depends on the placement of its slots (placement_epochs).
bool stamped_behind(self_ptr self, uint64_t epoch) {
  auto& st = self->state;
  if (epoch >= st.acceptor->installed().epoch) return false;
  const auto name = sender_name(self);
  const auto peer = st.peers.find(name);
  if (peer == st.peers.end()) return true;
  const auto now = std::chrono::steady_clock::now();
  auto& told = st.told_newer_layout[name];
  if (now - told >= defaults::stale_stamp_retell) {
    told = now;
    component_log("cluster")->info(
        "{} still serves by layout epoch {} (this node installed {}): sending it the newer one",
        name, epoch, st.acceptor->installed().epoch);
    announce_layout_to(self, peer->second);
  }
  return true;
}

/// Whether a replica write in `writes`, stamped with `epoch`, is for a slot whose owner or
/// holders changed since that epoch: its sender may no longer own the slot, and a holder
/// confirming the write would let it be acknowledged under a replaced layout.
bool placement_changed_since(self_ptr self, uint64_t epoch,
                             const std::vector<replica_write>& writes) {
  const auto& placements = self->state.placements;
  return std::any_of(writes.begin(), writes.end(), [&](const replica_write& write) {
    return placements.changed_since(slot_of(write.record.key), epoch);
  });
}

/// The link to `name` went up or down. Down: with the majority rule the node's slots are taken
/// over once it has been silent NodeTimeoutMs (`silent`: for how long before the drop), but
/// at least takeover_after_drop after the drop, if the link is still down and this side
/// reaches a majority then (the other side, if alive and in a minority, stopped serving when
/// its own links dropped, within a heartbeat of ours).
void link_changed(self_ptr self, const std::string& name, bool up, caf::timespan silent) {
  auto& st = self->state;
  if (!st.peers.count(name)) return;  // a connection forgotten or retired, still reporting
  const auto* node = st.view->find(name);
  if (node && node->leaving && !up) {
    forget(self, name);
    return;
  }
  if (up)
    st.links_up.insert(name);
  else
    st.links_up.erase(name);
  const auto change = ++st.link_changes[name];
  check_majority(self);
  publish_unreachable(self);
  if (up) {
    announce_layout_to(self, st.peers.at(name));  // it may have missed some while apart
    if (st.taken_over.count(name))
      tell_taken_over(self, name);
    else if (st.view->set_active(name, true))
      view_changed(self);
    ask_stepbrother(self, name);
    return;
  }
  st.mover.lost_contact.insert(name);
  if (!node) return;
  if (!st.options.majority_rule) {
    take_over(self, name);
    return;
  }
  const auto wait =
      std::max<caf::timespan>(st.options.node_timeout - silent, defaults::takeover_after_drop);
  self->delayed_send(self, wait, peer_state_atom_v, name, change);
}

/// Contacts a node given by address only (ovoctl join): its view arrives like any peer's, and
/// the nodes in it get connections of their own. The seed's cluster has the data: the slots this
/// node holds once it is in are arriving (even those it held alone), and the seed's first view
/// tells where each one is meanwhile.
void join_seed(self_ptr self, const std::string& host, uint16_t port) {
  auto& st = self->state;
  const auto name = seed_prefix + host + ":" + std::to_string(port);
  if (st.peers.count(name)) return;
  component_log("cluster")->info("joining the cluster of {}:{}", host, port);
  st.held.fill(false);
  st.bootstrapped = false;
  auto me = caf::actor_cast<cluster_manager_actor>(self);
  st.peers[name] = self->spawn(peer_connection, name, host, port, st.view->self(), me,
                               link_options(st.options, st.routing));
}

/// Once every shard restarted its epochs (object_space::restart_epochs), contacts the seed and
/// answers ovoctl; before that nothing of the other cluster may arrive here.
void restart_epochs_then_join(self_ptr self, const std::string& host, uint16_t port,
                              caf::typed_response_promise<bool> promise) {
  const auto& shards = self->state.local.shards;
  auto restarted = fan_in<bool>::start(shards.size(), [self, host, port,
                                                       promise](fan_in_result<bool>& all) mutable {
    if (!all.all_ok()) {
      component_log("cluster")->error("a shard did not restart its epochs: {}", all.first_failure);
      promise.deliver(caf::make_error(
          caf::sec::runtime_error, "a shard did not restart its epochs (" + all.first_failure +
                                       "); this node joined nothing yet, run ovoctl join again"));
      return;
    }
    self->state.epochs_to_restart = false;
    join_seed(self, host, port);
    promise.deliver(true);
  });
  for (std::size_t i = 0; i < shards.size(); ++i)
    self->request(shards[i], defaults::node_query_timeout, epochs_atom_v)
        .then([restarted, i](bool) { restarted->value(i, true); },
              [self, restarted, i](caf::error& err) {
                restarted->failure(i, self->system().render(err));
              });
}

/// What a shard holds, as it answers holdings_atom.
struct held_entries {
  uint64_t objects = 0;
  uint64_t counters = 0;
};

/// Why a node that agreed its layouts alone does not join now: it holds data, its layouts
/// changed while it counted, or a shard did not answer; empty when it may.
std::string reason_not_to_join(self_ptr self, const fan_in_result<held_entries>& held) {
  if (!held.all_ok()) return "a shard did not say what it holds (" + held.first_failure + ")";
  if (!agrees_alone(self))
    return "this node's layouts changed while it counted what it holds (another node joined "
           "it?); run ovoctl join again";
  held_entries total;
  for (const auto& shard : held.values) {
    total.objects += shard.objects;
    total.counters += shard.counters;
  }
  if (total.objects + total.counters == 0) return {};
  return "this node holds data (keys: " + std::to_string(total.objects) +
         ", counters: " + std::to_string(total.counters) +
         ") and a node joins another cluster only empty; restart it without its .temp file (it "
         "starts empty) or delete them, then join";
}

/// Whether the node at `host:port` (its API address) is a member of this node's view.
bool in_own_cluster(self_ptr self, const std::string& host, uint16_t port) {
  const auto& nodes = self->state.view->nodes();
  return std::any_of(nodes.begin(), nodes.end(), [&](const node_info& node) {
    return node.api_host == host && node.api_port == port;
  });
}

/// Why a member of a cluster of several members joins no other cluster: it would take its slots
/// from a cluster that counts on them, and bring that cluster's epochs and keys into the other.
std::string member_joins_only_alone(self_ptr self) {
  const auto& members = self->state.acceptor->installed().members;
  std::string names;
  for (const auto& name : members) names += (names.empty() ? "" : ", ") + name;
  return "this node is a member of a cluster of " + std::to_string(members.size()) + " (" + names +
         ") and joins another cluster only alone: ovoctl leave it (it hands its slots over and "
         "stops), delete its .temp and .layout files, start it without peers, then join";
}

/// ovoctl join on a node whose layouts it agreed alone (docs/cluster.md, "Joining another
/// cluster"). It applies no command from now until a layout of the cluster names it, so what it
/// holds is counted once and for all. It joins only empty: its keys would stay in the slots the
/// cluster gives it and linger unserved in the others. Then it drops its own layouts, and its
/// shards restart their epochs: epochs agreed elsewhere mean nothing in the cluster, and stamps
/// above the cluster's would make this node's writes beat newer ones the cluster acknowledged.
void join_another_cluster(self_ptr self, const std::string& host, uint16_t port,
                          caf::typed_response_promise<bool> promise) {
  self->state.joining = true;
  publish_routing(self);
  const auto& shards = self->state.local.shards;
  auto counted = fan_in<held_entries>::start(
      shards.size(), [self, host, port, promise](fan_in_result<held_entries>& held) mutable {
        if (const auto why = reason_not_to_join(self, held); !why.empty()) {
          component_log("cluster")->warn("not joining the cluster of {}:{}: {}", host, port, why);
          self->state.joining = false;
          publish_routing(self);
          promise.deliver(caf::make_error(caf::sec::invalid_argument, why));
          return;
        }
        leave_solo_history(self);
        self->state.epochs_to_restart = true;
        // Published before the shards restart: none runs a command under the old epoch after.
        publish_routing(self);
        restart_epochs_then_join(self, host, port, promise);
      });
  for (std::size_t i = 0; i < shards.size(); ++i)
    self->request(shards[i], defaults::node_query_timeout, holdings_atom_v)
        .then(
            [counted, i](uint64_t objects, uint64_t counters) {
              counted->value(i, {objects, counters});
            },
            [self, counted, i](caf::error& err) {
              counted->failure(i, self->system().render(err));
            });
}

/// A seed contacted by address (ovoctl join) answered with its view, whose first node is the
/// seed itself: the connection by that name (view_changed spawned it) stands for the seed from
/// now on. The seed's own connection goes, or the seed would count as two members.
void retire_seed(self_ptr self, const std::string& answered_as) {
  auto& st = self->state;
  for (auto it = st.peers.begin(); it != st.peers.end(); ++it) {
    if (it->first == answered_as || it->first.rfind(seed_prefix, 0) != 0 ||
        caf::actor_cast<caf::strong_actor_ptr>(it->second) != self->current_sender())
      continue;
    component_log("cluster")->info("{} is {}: its own connection stands for it now", it->first,
                                   answered_as);
    self->send_exit(it->second, caf::exit_reason::user_shutdown);
    st.links_up.erase(it->first);
    st.peers.erase(it);
    check_majority(self);
    return;
  }
}

/// Starts a graceful leave: the layout stops giving this node slots, passes hand them over,
/// and the answer comes once nothing is held here.
caf::result<bool> leave(self_ptr self) {
  auto& st = self->state;
  bool anyone_else = false;
  for (const auto& node : st.view->nodes())
    anyone_else =
        anyone_else || (node.name != st.view->self().name && node.active && !node.leaving);
  if (!anyone_else) {
    component_log("cluster")->warn("not leaving: no other active node to hand the slots to");
    return caf::make_error(caf::sec::invalid_argument,
                           "no other active node to hand the slots to; nothing was changed");
  }
  if (st.view->self().leaving && holds_nothing(self) && !st.mover.running) return true;
  auto promise = self->make_response_promise<bool>();
  st.mover.leave_waiters.push_back(promise);
  if (st.view->set_leaving()) {
    component_log("cluster")->info("leaving: handing every slot over");
    view_changed(self);
  }
  return promise;
}

}  // namespace

void serving_layout_changed(self_ptr self) { view_changed(self); }

void take_over_as_agreed(self_ptr self, const std::string& name) {
  auto& st = self->state;
  if (name == st.view->self().name || st.taken_over.count(name) || !st.view->find(name)) return;
  component_log("cluster")->info("{} is down in the agreed layout: taken over here too", name);
  take_over(self, name);
  if (st.links_up.count(name)) tell_taken_over(self, name);
}

cluster_manager_actor::behavior_type cluster_manager(
    self_ptr self, node_info me, local_targets local, std::shared_ptr<routing_holder> routing,
    std::vector<node_info> seeds, topology_listener on_change, cluster_options options) {
  auto& st = self->state;
  st.options = options;
  st.view = std::make_unique<cluster_view>(std::move(me), options.keep_replicas);
  st.local = std::move(local);
  st.routing = std::move(routing);
  st.on_change = std::move(on_change);
  std::vector<std::string> founders{st.view->self().name};
  for (const auto& seed : seeds) founders.push_back(seed.name);
  start_layout_register(self, std::move(founders));
  // A restart serves by the layout it had installed until it learns a newer one.
  if (st.options.majority_rule && st.acceptor->installed().epoch > 0)
    st.view->follow(st.acceptor->installed());
  for (const auto& seed : seeds) ensure_peer(self, seed);
  // Alone, this node holds every slot. With peers, their data may already be on its way: every
  // slot counts as newly held.
  st.held.fill(seeds.empty());
  expect_new_slots(self);
  st.mover.last = holders_of(*st.view);
  st.owner_before.fill(st.view->self().name);
  listen_to_lagging_reports(self);
  adopt_lagging_holders(self, true);  // a restart owns what its saved layout gives it
  check_majority(self);  // with configured peers: a minority until enough of them are reached
  publish_routing(self);
  want_layout(self);  // alone: the first layout is this node's to agree
  schedule_verify_round(self);
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (const auto& [name, peer] : self->state.peers) self->send_exit(peer, msg.reason);
    self->state.peers.clear();
    self->quit(msg.reason);
  });
  auto runner = [self](const command& cmd, auto deliver) { answer_query(self, cmd, deliver); };
  return {
      sink_handler(runner),
      response_handler(self, runner),
      [self](caf::forward_atom, command& cmd) { return serve_forwarded(self, std::move(cmd)); },
      [self](caf::forward_atom, uint64_t batch, uint64_t epoch, std::vector<command>& commands) {
        // Served by this node's own layout either way: its owner check decides, not the
        // sender's routing. The stamp only tells whether the sender needs the newer layout.
        stamped_behind(self, epoch);
        auto peer = caf::actor_cast<peer_connection_actor>(self->current_sender());
        serve_forwarded(self, std::move(commands), [self, peer, batch](std::vector<reply> replies) {
          self->send(peer, caf::forward_atom_v, batch, std::move(replies));
        });
      },
      [self](adopt_atom, object_record& record) -> caf::result<bool> {
        auto shard = shard_for(self, record.key);
        return self->delegate(shard, adopt_atom_v, std::move(record));
      },
      [self](replicate_atom, uint64_t batch, uint64_t epoch, std::vector<replica_write>& writes) {
        auto peer = caf::actor_cast<peer_connection_actor>(self->current_sender());
        if (from_taken_over(self)) {
          component_log("replication")
              ->debug("refused {} replica writes from a node taken over here", writes.size());
          self->send(peer, replicate_atom_v, batch, false);
          return;
        }
        if (stamped_behind(self, epoch) && placement_changed_since(self, epoch, writes)) {
          component_log("replication")
              ->debug(
                  "refused {} replica writes stamped with layout epoch {}: the owner or "
                  "holders of their slots changed since",
                  writes.size(), epoch);
          self->send(peer, replicate_atom_v, batch, false);
          return;
        }
        apply_replicas(self, std::move(writes), [self, peer, batch](bool stored) {
          self->send(peer, replicate_atom_v, batch, stored);
        });
      },
      [self](caf::join_atom, uint32_t protocol,
             node_info& joiner) -> caf::result<std::vector<node_info>> {
        auto& st = self->state;
        if (protocol != cluster_protocol_version) {
          const auto why = "it speaks cluster protocol " + std::to_string(protocol) +
                           ", this node speaks " + std::to_string(cluster_protocol_version) +
                           " (run one OVO version in the whole cluster)";
          component_log("cluster")->error("refused {} at {}:{}: {}", joiner.name, joiner.api_host,
                                          joiner.api_port, why);
          return caf::make_error(caf::sec::invalid_argument,
                                 "refused by " + st.view->self().name + ": " + why);
        }
        if (auto sender = self->current_sender()) st.peer_nodes[sender->node()] = joiner.name;
        // A node removed while unreachable may come back as the same process (a healed
        // partition): its own handshake readmits it.
        if (st.view->readmit(joiner.name, joiner.incarnation))
          component_log("cluster")->info("{} is back after its removal", joiner.name);
        if (st.view->merge(joiner)) view_changed(self);
        // It reaches us: our own link to it (which decides when it stops being INACTIVE here)
        // tries now instead of after its backoff, so both do not serve its slots for long.
        if (auto peer = st.peers.find(joiner.name);
            peer != st.peers.end() && !st.links_up.count(joiner.name))
          self->send(peer->second, caf::connect_atom_v, caf::reset_atom_v);
        return self->state.view->nodes();
      },
      [self](caf::update_atom, std::vector<node_info>& nodes) {
        const bool bootstrapping = !self->state.bootstrapped;
        if (bootstrapping) bootstrap_previous_owners(self, nodes);
        bool changed = false;
        for (const auto& node : nodes) changed = self->state.view->merge(node) || changed;
        if (changed)
          view_changed(self);
        else if (bootstrapping)  // the view came by a join already: only where the data is is new
          publish_routing(self);
        if (!nodes.empty()) retire_seed(self, nodes.front().name);
      },
      [self](peer_state_atom, std::string& name, bool up, caf::timespan silent) {
        link_changed(self, name, up, silent);
      },
      [self](peer_state_atom, std::string& name, int64_t change) {
        // Once `name` has been silent NodeTimeoutMs (majority rule; link_changed), unless its
        // link changed since: taken over once a majority of the members report it unreachable; a
        // link only some members cannot use (a non-transitive partition) changes nothing. Asked
        // again while the link stays down.
        auto& st = self->state;
        const auto* node = st.view->find(name);
        if (!node || st.link_changes[name] != change || !node->active) return;
        if (!st.in_minority && 2 * st.view->suspecting(name) > st.view->nodes().size()) {
          take_over(self, name);
          return;
        }
        self->delayed_send(self, defaults::takeover_recheck, peer_state_atom_v, name, change);
      },
      [self](remove_atom, std::string& name, int64_t change) {
        // DeadNodeRemovalSeconds after `name` was taken over, unless its link changed since.
        auto& st = self->state;
        const auto* node = st.view->find(name);
        if (!node || node->active || st.link_changes[name] != change) return;
        if (st.in_minority) {  // a minority changes nothing: asked again later
          self->delayed_send(self, defaults::takeover_recheck, remove_atom_v, name, change);
          return;
        }
        component_log("cluster")->warn("{} has been unreachable for {} s: removing it", name,
                                       self->state.options.dead_node_removal.count());
        forget(self, name);
      },
      [self](migrate_atom, int slot, bool counters, bool last, bool settled, uint64_t epoch,
             std::vector<replica_write>& writes) -> caf::result<bool> {
        if (from_taken_over(self))
          return caf::make_error(caf::sec::invalid_argument,
                                 "refused by " + self->state.view->self().name +
                                     ": it took the sender over and has not told it yet");
        if (stamped_behind(self, epoch) && self->state.placements.changed_since(slot, epoch))
          return caf::make_error(caf::sec::invalid_argument,
                                 "refused by " + self->state.view->self().name +
                                     ": the sender serves by layout epoch " +
                                     std::to_string(epoch) + ", this node installed " +
                                     std::to_string(self->state.acceptor->installed().epoch) +
                                     ", in which slot " + std::to_string(slot) +
                                     " has another owner or holders (the sender was sent it)");
        return receive_slot(self, sender_name(self), slot, counters, last, settled,
                            std::move(writes));
      },
      [self](takeover_atom, std::string& taker, std::vector<std::string>& owners, uint64_t epoch,
             int64_t notice) { return learn_taken_over(self, taker, owners, epoch, notice); },
      [self](takeover_atom, caf::ok_atom, std::string& told, int64_t notice) {
        learned_taken_over(self, told, notice);
      },
      [self](takeover_atom, std::string& name, int64_t change) {
        auto& st = self->state;
        if (st.link_changes[name] == change && st.links_up.count(name) && st.taken_over.count(name))
          tell_taken_over(self, name);
      },
      [self](fetch_atom, std::string& key, bool counter) -> caf::result<replica_write> {
        auto shard = shard_for(self, key);
        return self->delegate(shard, fetch_atom_v, std::move(key), counter);
      },
      [self](digest_atom, int slot) { return digest_for_owner(self, slot); },
      [self](summary_atom, int slot) { return summary_for_owner(self, slot); },
      [self](verify_atom, bool repair) { return verify_owned_slots(self, repair); },
      [self](status_atom) { return cluster_part_of_status(self); },
      [self](dashboard_atom) { return gather_cluster_figures(self); },
      [self](verify_atom) { run_verify_round(self); },
      [self](pull_atom, int slot, std::string& requester) {
        return push_to_puller(self, slot, requester);
      },
      [self](pull_atom) { check_arrivals(self); },
      [self](lagging_atom, int slot, std::string& holder, bool lagging, uint64_t departure) {
        if (lagging_reported(self, slot, holder, lagging, departure)) publish_routing(self);
      },
      [self](rebalance_atom) { run_rebalance(self); },
      [self](leave_atom) { return leave(self); },
      [self](rebalance_atom, caf::get_atom) {
        auto promise = self->make_response_promise<pass_report>();
        self->state.mover.pass_waiters.push_back(promise);
        run_rebalance(self);
        return promise;
      },
      [self](twin_atom, std::string& twin, bool add) -> caf::result<bool> {
        if (twin == self->state.view->self().name)
          return caf::make_error(caf::sec::invalid_argument, "a node cannot be its own twin");
        if (add && !self->state.view->find(twin))
          return caf::make_error(caf::sec::invalid_argument, "no node named " + twin);
        if (self->state.view->set_twin(twin, add)) {
          component_log("cluster")->info("{} twin {}", add ? "added" : "removed", twin);
          view_changed(self);
        }
        return true;
      },
      [self](caf::join_atom, std::string& host, uint16_t port) -> caf::result<bool> {
        auto& st = self->state;
        if (!st.epochs_to_restart && !agrees_alone(self)) {
          if (st.acceptor->installed().members.size() > 1) {
            if (in_own_cluster(self, host, port)) {
              component_log("cluster")->info("{}:{} is a member of this node's own cluster already",
                                             host, port);
              return true;
            }
            const auto why = member_joins_only_alone(self);
            component_log("cluster")->warn("not joining the cluster of {}:{}: {}", host, port, why);
            return caf::make_error(caf::sec::invalid_argument, why);
          }
          join_seed(self, host, port);  // its own layouts dropped already: a join under way
          return true;
        }
        if (!st.epochs_to_restart && st.joining)
          return caf::make_error(caf::sec::invalid_argument,
                                 "this node is counting what it holds for a join already; wait "
                                 "for that join's answer");
        auto promise = self->make_response_promise<bool>();
        if (st.epochs_to_restart)
          restart_epochs_then_join(self, host, port, promise);
        else
          join_another_cluster(self, host, port, promise);
        return promise;
      },
      [self](layout_atom, uint64_t epoch, ballot& b) { return vote_on_prepare(self, epoch, b); },
      [self](layout_atom, ballot& b, agreed_layout& value) {
        return vote_on_accept(self, b, value);
      },
      [self](layout_atom, agreed_layout& layout) { layout_announced(self, layout); },
      [self](layout_atom) { propose_layout(self); },
      [self](layout_atom, uint64_t round) { give_up_round(self, round); },
  };
}

}  // namespace ovo
