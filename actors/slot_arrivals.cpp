#include "actors/slot_arrivals.hpp"

#include "actors/peer_requests.hpp"
#include "config/defaults.hpp"
#include "core/logging.hpp"
#include "core/slot_layout.hpp"

#include <algorithm>
#include <utility>

namespace ovo {
namespace {

using steady = std::chrono::steady_clock;

constexpr uint8_t both_namespaces = 3;

uint8_t namespace_bit(bool counters) { return counters ? 2 : 1; }

void schedule_check(cluster_manager_self self) {
  auto& st = self->state;
  if (st.arrival_check_scheduled) return;
  st.arrival_check_scheduled = true;
  self->delayed_send(self, defaults::arrival_check_interval, pull_atom_v);
}

/// This node's copy of `slot` is no longer arriving (or no longer held): its proposals stop
/// listing it as arriving there (docs/cluster.md, "Arriving holders are agreed"), the next one
/// at most arrival_report_delay from now, with the other slots that arrived meanwhile.
void note_arrived(cluster_manager_self self, int slot) {
  auto& st = self->state;
  if (!st.view->note_arriving(slot, false) || st.arrival_report_due) return;
  st.arrival_report_due = true;
  self->delayed_send(self, defaults::arrival_report_delay, layout_atom_v);
}

/// Closes the windows of `slot` in its shard (an empty last chunk of each namespace).
/// `arrived`: the slot's data is here (else the slot is no longer this node's to wait for).
/// `settled`: the namespaces (bits as in slot_arrival) whose data came from served_by's whole
/// copy.
void close_windows(cluster_manager_self self, int slot, bool arrived, uint8_t settled = 0) {
  self->state.arrivals[static_cast<std::size_t>(slot)] = slot_arrival{};
  self->state.whole_copy[static_cast<std::size_t>(slot)] = arrived;
  note_arrived(self, slot);
  for (const bool counters : {false, true})
    self->request(shard_for_slot(self, slot), defaults::migrate_timeout, migrate_atom_v, slot,
                  counters, true, (settled & namespace_bit(counters)) != 0,
                  std::vector<replica_write>{})
        .then([](bool) {},
              [self, slot](caf::error& err) {
                component_log("rebalance")
                    ->warn("closing the arrival of slot {} failed: {}", slot,
                           self->system().render(err));
              });
}

/// The nodes to pull `slot` from: its previous holder if it is still reachable (for a replica
/// holder: the slot's owner), else every reachable node. Empty when none is reachable.
std::vector<std::string> pull_sources(cluster_manager_self self, std::size_t slot) {
  auto& st = self->state;
  const auto& view = *st.view;
  auto reachable = [&](const std::string& name) {
    const auto* node = view.find(name);
    return node && node->active && name != view.self().name && st.links_up.count(name) > 0;
  };
  const auto owner = view.owner_name(slot);
  const auto& first_choice = owner == view.self().name ? st.previous_owner[slot] : owner;
  if (!first_choice.empty() && reachable(first_choice)) return {first_choice};
  std::vector<std::string> out;
  for (const auto& node : view.nodes())
    if (reachable(node.name)) out.push_back(node.name);
  return out;
}

void pull(cluster_manager_self self, int slot, const std::vector<std::string>& sources) {
  auto& arrival = self->state.arrivals[static_cast<std::size_t>(slot)];
  arrival.pulls_left = sources.size();
  arrival.pull_failed = false;
  const auto round = ++self->state.pull_rounds;
  arrival.pull_round = round;
  for (const auto& source : sources) {
    auto peer = self->state.peers.at(source);
    self->request(peer, defaults::migrate_timeout, pull_atom_v, slot, self->state.view->self().name)
        .then(
            [self, slot, source, round](uint64_t sent) {
              component_log("rebalance")
                  ->debug("slot {}: {} sent its copy ({} entries)", slot, source, sent);
              auto& a = self->state.arrivals[static_cast<std::size_t>(slot)];
              if (!a.open || a.pull_round != round || a.pulls_left == 0) return;
              if (--a.pulls_left > 0) return;
              if (a.pull_failed) {
                a.since = steady::now();  // pulled again at the next check
                return;
              }
              component_log("rebalance")->info("slot {} arrived (pulled)", slot);
              close_windows(self, slot, true, a.settled_namespaces);
            },
            [self, slot, source, round](caf::error& err) {
              component_log("rebalance")
                  ->warn("pulling slot {} from {} failed: {}", slot, source,
                         self->system().render(err));
              auto& a = self->state.arrivals[static_cast<std::size_t>(slot)];
              if (!a.open || a.pull_round != round || a.pulls_left == 0) return;
              a.pull_failed = true;
              if (--a.pulls_left == 0) a.since = steady::now();
            });
  }
}

}  // namespace

/// Tells the local holders which slots this node holds since the last view: their data is on
/// its way, and what is written here before it arrives must win.
void expect_new_slots(cluster_manager_self self) {
  auto& st = self->state;
  const bool distrust = st.distrust_local_copies;
  const auto notice_owners = st.takeover_owners;
  // While the layout this node serves by has it down (taken over, not agreed back yet), its own
  // slots come back only with a later layout: their windows must open distrusted then.
  if (!st.view->self_down()) {
    st.distrust_local_copies = false;
    st.takeover_owners.clear();
  }
  const auto& me = st.view->self().name;
  std::vector<int> arriving;
  for (int slot = 0; slot < slot_count; ++slot) {
    const bool holds = st.view->holds(slot);
    if (holds && !st.held[static_cast<std::size_t>(slot)]) arriving.push_back(slot);
    st.held[static_cast<std::size_t>(slot)] = holds;
  }
  if (arriving.empty()) return;
  // Each shard opens the windows of its own slots.
  std::vector<std::vector<int>> by_shard(st.local.shards.size());
  for (int slot : arriving) by_shard[shard_of_slot(slot, by_shard.size())].push_back(slot);
  for (std::size_t i = 0; i < by_shard.size(); ++i)
    if (!by_shard[i].empty()) self->send(st.local.shards[i], expect_atom_v, by_shard[i], distrust);
  const auto now = steady::now();
  for (int slot : arriving) {
    auto& arrival = st.arrivals[static_cast<std::size_t>(slot)];
    st.view->note_arriving(slot, true);
    if (!arrival.open) {
      arrival = slot_arrival{};
      arrival.open = true;
      arrival.namespaces_left = both_namespaces;
      arrival.since = now;
    }  // else still arriving from an earlier view: keep what it waits for
    arrival.distrusted = arrival.distrusted || distrust;
    // Only a takeover notice names who served the slot for certain. Back from a minority, the
    // node a peer's view points to may itself be behind (it rejoined the majority a moment
    // ago): its copy confirms what it holds, and drops nothing here.
    const auto index = static_cast<std::size_t>(slot);
    st.whole_copy[index] = false;
    if (distrust && notice_owners.size() == slot_count && notice_owners[index] != me)
      arrival.served_by = notice_owners[index];
  }
  schedule_check(self);
}

/// Remembers who served the slots this node now serves, so it can read keys there until their
/// data arrived. Only once this node has settled (one pass done): while it is still meeting
/// the cluster, its own intermediate views say nothing about where data is.
void note_previous_owners(cluster_manager_self self) {
  auto& st = self->state;
  const auto& me = st.view->self().name;
  for (std::size_t slot = 0; slot < slot_count; ++slot) {
    auto owner = st.view->owner_name(slot);
    if (st.mover.passes_done > 0 && owner == me && st.owner_before[slot] != me)
      st.previous_owner[slot] = st.owner_before[slot];
    st.owner_before[slot] = std::move(owner);
  }
}

/// On joining, the first view a peer sends (its own first) tells where the data is before this
/// node takes its share: that peer's layout with this node not serving.
void bootstrap_previous_owners(cluster_manager_self self, const std::vector<node_info>& nodes) {
  auto& st = self->state;
  st.bootstrapped = true;
  if (nodes.empty()) return;
  const auto& me = st.view->self().name;
  cluster_view before(nodes.front());
  for (const auto& node : nodes) {
    before.merge(node);
    if (node.name != me) before.set_active(node.name, node.active);
  }
  before.set_down(me);  // the peer may already count this node as serving
  for (std::size_t slot = 0; slot < slot_count; ++slot) {
    auto owner = before.owner_name(slot);
    if (owner != me) st.previous_owner[slot] = std::move(owner);
  }
}

caf::result<bool> receive_slot(cluster_manager_self self, const std::string& sender, int slot,
                               bool counters, bool last, bool settled,
                               std::vector<replica_write> writes) {
  auto& st = self->state;
  if (slot < 0 || slot >= slot_count) return caf::make_error(caf::sec::invalid_argument);
  // Data for a slot this node does not hold (the sender's view differs): a pass passes it on.
  if (!st.view->holds(slot)) self->delayed_send(self, defaults::rebalance_delay, rebalance_atom_v);
  for (const auto& write : writes)
    if (write.counter != counters) return caf::make_error(caf::sec::invalid_argument);
  const auto now = steady::now();
  st.last_chunk = now;
  auto& arrival = st.arrivals[static_cast<std::size_t>(slot)];
  bool arrived = last;  // outside an arrival: closes nothing that is open
  bool whole = false;
  if (arrival.open) {
    arrival.since = now;
    // Only the whole copy of the node that served the slot may drop what is held here: any
    // other copy (a node pulled because that one is unreachable, a pass by a node that got the
    // slot since) may lack what was acknowledged.
    if (last && settled && !arrival.served_by.empty() && sender == arrival.served_by)
      arrival.settled_namespaces |= namespace_bit(counters);
    whole = (arrival.settled_namespaces & namespace_bit(counters)) != 0;
    // While pulls are out, only their answers complete the slot: one sender's last chunk says
    // nothing about the others' copies.
    arrived = last && arrival.pulls_left == 0;
    if (arrived) {
      arrival.namespaces_left &= static_cast<uint8_t>(~namespace_bit(counters));
      if (arrival.namespaces_left == 0) {
        component_log("rebalance")->debug("slot {} arrived", slot);
        arrival = slot_arrival{};
        st.whole_copy[static_cast<std::size_t>(slot)] = true;
        note_arrived(self, slot);
      }
    }
  }
  return self->delegate(shard_for_slot(self, slot), migrate_atom_v, slot, counters, arrived,
                        arrived && whole, std::move(writes));
}

void check_arrivals(cluster_manager_self self) {
  auto& st = self->state;
  st.arrival_check_scheduled = false;
  const auto now = steady::now();
  bool open = false;
  for (int slot = 0; slot < slot_count; ++slot) {
    auto& arrival = st.arrivals[static_cast<std::size_t>(slot)];
    if (!arrival.open) continue;
    if (!st.view->holds(slot)) {  // no longer ours: nothing to wait for
      close_windows(self, slot, false);
      continue;
    }
    open = true;
    if (arrival.pulls_left > 0) continue;
    // A pass still sending this node chunks (of this slot or another) is left to finish.
    if (now - std::max(arrival.since, st.last_chunk) < defaults::arrival_pull_after) continue;
    const auto sources = pull_sources(self, static_cast<std::size_t>(slot));
    if (sources.empty()) {
      if (st.view->nodes().size() == 1) {
        close_windows(self, slot, true);  // alone: no other node can have data of it
      }
      continue;  // its holders are unreachable: wait for one of them
    }
    component_log("rebalance")
        ->info("slot {} has not arrived; asking {} for its copy", slot,
               sources.size() == 1 ? sources.front()
                                   : "every node (" + std::to_string(sources.size()) + ")");
    pull(self, slot, sources);
  }
  if (open) schedule_check(self);
}

bool copy_settled(cluster_manager_self self, int slot) {
  const auto index = static_cast<std::size_t>(slot);
  return self->state.whole_copy[index] && !self->state.arrivals[index].open;
}

caf::result<uint64_t> push_to_puller(cluster_manager_self self, int slot,
                                     const std::string& requester) {
  auto& st = self->state;
  if (slot < 0 || slot >= slot_count)
    return caf::make_error(caf::sec::invalid_argument, "no such slot");
  auto peer = st.peers.find(requester);
  if (peer == st.peers.end())
    return caf::make_error(caf::sec::invalid_argument, "no connection to " + requester);
  return self->delegate(shard_for_slot(self, slot), push_atom_v, slot,
                        caf::actor_cast<caf::strong_actor_ptr>(peer->second), true,
                        copy_settled(self, slot));
}

}  // namespace ovo
