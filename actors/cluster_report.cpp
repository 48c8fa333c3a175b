#include "actors/cluster_report.hpp"

#include "actors/fan_in.hpp"
#include "config/defaults.hpp"

#include <algorithm>
#include <memory>

namespace ovo {
namespace {

std::vector<slot_figures> slot_map(const cluster_view& view) {
  const auto& nodes = view.nodes();
  std::vector<slot_figures> slots(slot_count);
  for (std::size_t slot = 0; slot < slot_count; ++slot) {
    slots[slot].owner = view.owner_name(slot);
    for (auto index : view.replicas()[slot]) slots[slot].replicas.push_back(nodes[index].name);
  }
  return slots;
}

}  // namespace

node_status cluster_part_of_status(cluster_manager_self self) {
  const auto& st = self->state;
  node_status part;
  part.name = st.view->self().name;
  part.slots = static_cast<uint32_t>(st.view->self().hash_range.size());
  part.leaving = st.view->self().leaving;
  for (std::size_t slot = 0; slot < slot_count; ++slot)
    if (st.arrivals[slot].open) part.arriving_slots.push_back(static_cast<int>(slot));
  part.rebalancing = st.mover.running;
  part.pass_slots = static_cast<uint32_t>(st.mover.pass_slots);
  part.pass_done = static_cast<uint32_t>(st.mover.pass_done);
  part.layout_epoch = st.acceptor->installed().epoch;
  part.layout_pending =
      st.options.majority_rule && !st.view->wanted_layout().same_layout(st.acceptor->installed());
  const auto& unreachable = st.view->self().unreachable;
  for (const auto& node : st.view->nodes()) {
    if (node.name == part.name) continue;
    const bool down =
        std::find(unreachable.begin(), unreachable.end(), node.name) != unreachable.end();
    (down ? part.peers_down : part.peers_up).push_back(node.name);
  }
  return part;
}

caf::result<cluster_figures> gather_cluster_figures(cluster_manager_self self) {
  auto& st = self->state;
  auto figures = std::make_shared<cluster_figures>();
  figures->answered_by = st.view->self().name;
  figures->slots = slot_map(*st.view);
  for (const auto& node : st.view->nodes()) figures->nodes.push_back({node, false, {}});
  auto promise = self->make_response_promise<cluster_figures>();
  // Index 0 is this node: the admin actor fills it in.
  const auto peers = figures->nodes.size() - 1;
  auto asked = fan_in<bool>::start(peers, [promise, figures](fan_in_result<bool>&) mutable {
    promise.deliver(std::move(*figures));
  });
  for (std::size_t i = 1; i <= peers; ++i) {
    auto link = st.peers.find(figures->nodes[i].node.name);
    if (link == st.peers.end()) {
      asked->failure(i - 1, "no connection");
      continue;
    }
    self->request(link->second, defaults::dashboard_peer_timeout, status_atom_v)
        .then(
            [figures, asked, i](node_status& status) {
              figures->nodes[i].answered = true;
              figures->nodes[i].status = std::move(status);
              asked->value(i - 1, true);
            },
            [self, asked, i](caf::error& err) {
              asked->failure(i - 1, self->system().render(err));
            });
  }
  return promise;
}

}  // namespace ovo
