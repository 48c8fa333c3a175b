#include "cluster_view.hpp"

#include <algorithm>
#include <tuple>

#include "slot_layout.hpp"

namespace ovo {
namespace {

bool same_facts(const node_info& a, const node_info& b) {
  return std::tie(a.host, a.port, a.api_host, a.api_port, a.twins, a.joined_at_ms) ==
         std::tie(b.host, b.port, b.api_host, b.api_port, b.twins, b.joined_at_ms);
}

}  // namespace

cluster_view::cluster_view(node_info self) {
  nodes_.push_back(std::move(self));
  relayout();
}

const node_info* cluster_view::find(const std::string& name) const {
  for (const auto& node : nodes_)
    if (node.name == name) return &node;
  return nullptr;
}

bool cluster_view::merge(const node_info& node) {
  if (node.name.empty() || node.name == self().name) return false;
  auto it = std::find_if(nodes_.begin(), nodes_.end(),
                         [&](const node_info& known) { return known.name == node.name; });
  if (it == nodes_.end()) {
    nodes_.push_back(node);
    nodes_.back().active = false;  // until our own connection to it is up
  } else {
    // A restarted node reports a later join time; an older report must not undo it.
    if (node.joined_at_ms < it->joined_at_ms || same_facts(*it, node)) return false;
    // Liveness is judged by our own connection to the node, never taken from gossip.
    const bool active = it->active;
    *it = node;
    it->active = active;
  }
  relayout();
  return true;
}

bool cluster_view::set_active(const std::string& name, bool active) {
  for (auto& node : nodes_) {
    if (node.name == name && node.active != active) {
      node.active = active;
      return true;
    }
  }
  return false;
}

void cluster_view::relayout() {
  // Every known node keeps its slots, dead or alive: until failover to replicas exists, moving a
  // dead node's slots would only turn "owner unreachable" (503) into silent misses.
  std::vector<std::size_t> order(nodes_.size());
  for (std::size_t i = 0; i < nodes_.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(nodes_[a].joined_at_ms, nodes_[a].name) <
           std::tie(nodes_[b].joined_at_ms, nodes_[b].name);
  });
  for (auto& node : nodes_) node.hash_range.clear();
  const auto layout = balanced_layout(order.size());
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    auto& node = nodes_[order[rank]];
    node.hash_range = layout[rank];
    for (int slot : node.hash_range) owners_[static_cast<std::size_t>(slot)] = order[rank];
  }
}

}  // namespace ovo
