#include "actors/slot_arrivals.hpp"

namespace ovo {
namespace {

std::string owner_name(const cluster_view& view, std::size_t slot) {
  return view.nodes()[view.owners()[slot]].name;
}

}  // namespace

/// Tells the local holders which slots this node holds since the last view: their data is on
/// its way, and what is written here before it arrives must win.
void expect_new_slots(cluster_manager_self self) {
  auto& st = self->state;
  std::vector<int> arriving;
  for (int slot = 0; slot < slot_count; ++slot) {
    const bool holds = st.view->holds(slot);
    if (holds && !st.held[static_cast<std::size_t>(slot)]) arriving.push_back(slot);
    st.held[static_cast<std::size_t>(slot)] = holds;
  }
  if (arriving.empty()) return;
  for (const auto& shard : st.local.shards) self->send(shard, expect_atom_v, arriving);
}

/// Remembers who served the slots this node now serves, so it can read keys there until their
/// data arrived. Only once this node has settled (one pass done): while it is still meeting
/// the cluster, its own intermediate views say nothing about where data is.
void note_previous_owners(cluster_manager_self self) {
  auto& st = self->state;
  const auto& me = st.view->self().name;
  for (std::size_t slot = 0; slot < slot_count; ++slot) {
    auto owner = owner_name(*st.view, slot);
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
  before.set_active(me, false);
  for (std::size_t slot = 0; slot < slot_count; ++slot) {
    auto owner = owner_name(before, slot);
    if (owner != me) st.previous_owner[slot] = std::move(owner);
  }
}

}  // namespace ovo
