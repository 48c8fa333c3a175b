#include "core/cluster_view.hpp"

#include "core/slot_layout.hpp"

#include <algorithm>
#include <tuple>

namespace ovo {
namespace {

/// Reports about one node are ordered by join time, process start, then the node's own version
/// of its facts: an older one (from a peer that has not heard the news yet) must not undo a
/// newer one, and two copies of one version never flip-flop.
bool older(const node_info& report, const node_info& known) {
  return std::tie(report.joined_at_ms, report.incarnation, report.version) <
         std::tie(known.joined_at_ms, known.incarnation, known.version);
}

bool newer(const node_info& report, const node_info& known) { return older(known, report); }

/// Whether `layout` has `name` serving: not down, and owning or holding a slot. A member holding
/// nothing may be leaving, or chosen before it was forgotten here.
bool serves_in(const agreed_layout& layout, const std::string& name) {
  if (std::binary_search(layout.down.begin(), layout.down.end(), name)) return false;
  for (std::size_t slot = 0; slot < layout.owners.size(); ++slot)
    if (layout.holds(slot, name)) return true;
  return false;
}

}  // namespace

cluster_view::cluster_view(node_info self, bool keep_replicas) : keep_replicas_(keep_replicas) {
  nodes_.push_back(std::move(self));
  relayout();
}

const node_info* cluster_view::find(const std::string& name) const {
  const auto index = index_of(name);
  return index == none ? nullptr : &nodes_[index];
}

bool cluster_view::merge(const node_info& node) {
  if (node.name.empty() || node.name == self().name) return false;
  if (auto gone = departed_.find(node.name);
      gone != departed_.end() && node.incarnation <= gone->second) {
    departed_reports_[node.name] = node;
    return false;
  }
  auto it = std::find_if(nodes_.begin(), nodes_.end(),
                         [&](const node_info& known) { return known.name == node.name; });
  if (it == nodes_.end()) {
    nodes_.push_back(node);
    nodes_.back().active = false;  // until our own connection to it is up
    reported_active_[node.name] = node.active;
    relayout();
    return true;
  }
  if (older(node, *it)) return false;
  bool changed = false;
  const bool was_ranked = it->ranked;
  if (newer(node, *it)) {
    // Liveness is judged by our own connection to the node, never taken from gossip.
    const bool active = it->active;
    *it = node;
    it->active = active;
    changed = true;
  }
  it->ranked = was_ranked || node.ranked;
  changed = changed || it->ranked != was_ranked;
  // What peers say of its liveness only counts until our own connection has been up.
  auto& reported = reported_active_[node.name];
  changed = changed || (!connected_.count(node.name) && reported != node.active);
  reported = node.active;
  if (changed) relayout();
  return changed;
}

bool cluster_view::readmit(const std::string& name, int64_t incarnation) {
  auto gone = departed_.find(name);
  if (gone == departed_.end() || incarnation < gone->second) return false;
  departed_.erase(gone);
  departed_reports_.erase(name);
  return true;
}

bool cluster_view::forget(const std::string& name) {
  auto it = std::find_if(nodes_.begin() + 1, nodes_.end(),
                         [&](const node_info& known) { return known.name == name; });
  if (it == nodes_.end()) return false;
  departed_[name] = it->incarnation;
  departed_reports_.erase(name);
  connected_.erase(name);
  reported_active_.erase(name);
  nodes_.erase(it);
  relayout();
  return true;
}

bool cluster_view::set_twin(const std::string& twin, bool add) {
  auto& twins = nodes_.front().twins;
  auto it = std::find(twins.begin(), twins.end(), twin);
  if (add == (it != twins.end())) return false;
  if (add)
    twins.push_back(twin);
  else
    twins.erase(it);
  ++nodes_.front().version;
  relayout();
  return true;
}

bool cluster_view::set_unreachable(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  if (names == nodes_.front().unreachable) return false;
  nodes_.front().unreachable = std::move(names);
  ++nodes_.front().version;
  return true;
}

std::size_t cluster_view::suspecting(const std::string& target) const {
  std::size_t count = 0;
  for (const auto& node : nodes_)
    if (node.name != target && std::find(node.unreachable.begin(), node.unreachable.end(),
                                         target) != node.unreachable.end())
      ++count;
  return count;
}

bool cluster_view::set_leaving() {
  if (nodes_.front().leaving) return false;
  nodes_.front().leaving = true;
  ++nodes_.front().version;
  relayout();
  return true;
}

void cluster_view::set_voter(uint64_t identity) {
  if (nodes_.front().voter == identity) return;
  nodes_.front().voter = identity;
  ++nodes_.front().version;
}

bool cluster_view::holds(int slot) const {
  const auto s = static_cast<std::size_t>(slot);
  const auto& replicas = replicas_[s];
  return owners_[s] == 0 || std::find(replicas.begin(), replicas.end(), 0) != replicas.end();
}

holder_id cluster_view::holder_of(std::size_t index) const {
  if (index == none) return {};
  return {nodes_[index].name, nodes_[index].incarnation};
}

bool cluster_view::set_active(const std::string& name, bool active) {
  for (auto& node : nodes_) {
    if (node.name != name) continue;
    if (active) connected_.insert(name);
    const bool ranked = node.ranked || active;
    if (node.active == active && node.ranked == ranked) return false;
    node.active = active;
    node.ranked = ranked;
    relayout();
    return true;
  }
  return false;
}

void cluster_view::set_down(const std::string& name) {
  connected_.insert(name);  // from now on only set_active decides, not the peers' reports
  for (auto& node : nodes_)
    if (node.name == name) node.active = false;
  relayout();
}

bool cluster_view::serving(std::size_t index) const {
  const auto& node = nodes_[index];
  if (index == 0 || node.active) return true;
  // Never reached from here yet: trust the peers (a node that joined a moment ago is up).
  auto reported = reported_active_.find(node.name);
  return !connected_.count(node.name) && reported != reported_active_.end() && reported->second;
}

cluster_view::ranking cluster_view::rank_nodes() const {
  // Leaving nodes and witnesses get no rank: the slots are dealt over the others. This node
  // keeps its rank if it is the last one (there is nobody to hand over to; a witness alone then
  // holds the slots in name only: it refuses every command, see routing_table::witness).
  ranking r;
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (!nodes_[i].leaving && !nodes_[i].witness && (i == 0 || nodes_[i].ranked))
      r.order.push_back(i);
  if (r.order.empty()) r.order.push_back(0);
  std::sort(r.order.begin(), r.order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(nodes_[a].joined_at_ms, nodes_[a].name) <
           std::tie(nodes_[b].joined_at_ms, nodes_[b].name);
  });
  r.rank_of.assign(nodes_.size(), none);
  for (std::size_t rank = 0; rank < r.order.size(); ++rank) r.rank_of[r.order[rank]] = rank;
  return r;
}

std::size_t cluster_view::next_serving(const ranking& r, std::size_t rank) const {
  for (std::size_t step = 0; step < r.order.size(); ++step) {
    const auto candidate = r.order[(rank + step) % r.order.size()];
    if (serving(candidate)) return candidate;
  }
  return r.order[rank % r.order.size()];  // unreachable: this node always serves
}

std::vector<std::size_t> cluster_view::replica_holders_of(const ranking& r,
                                                          std::size_t index) const {
  std::vector<std::size_t> out;
  if (!keep_replicas_) return out;
  for (const auto& twin : nodes_[index].twins)
    for (std::size_t j = 0; j < nodes_.size(); ++j)
      if (nodes_[j].name == twin && j != index && r.rank_of[j] != none && serving(j))
        out.push_back(j);
  if (out.empty()) {
    const auto next = next_serving(r, r.rank_of[index] + 1);
    if (next != index) out.push_back(next);
  }
  return out;
}

void cluster_view::relayout() {
  const auto r = rank_nodes();
  for (auto& node : nodes_) node.hash_range.clear();
  const auto layout = balanced_layout(r.order.size());
  for (std::size_t rank = 0; rank < r.order.size(); ++rank) {
    // A node that is down is stood in for by a holder of its replicas.
    const auto ranked = r.order[rank];
    std::vector<std::size_t> stand_ins;
    auto fallback = ranked;
    if (!serving(ranked)) {
      stand_ins = replica_holders_of(r, ranked);
      fallback = stand_ins.empty() ? next_serving(r, rank) : stand_ins.front();
    }
    for (int slot : layout[rank]) {
      const auto index = static_cast<std::size_t>(slot);
      const auto server = stand_in_for(index, stand_ins, fallback);
      derived_owners_[index] = server;
      derived_replicas_[index] = replica_holders_of(r, server);
    }
  }
  owners_ = derived_owners_;
  replicas_ = derived_replicas_;
  unplaced_.fill(false);
  if (followed_)
    for (std::size_t slot = 0; slot < slot_count; ++slot) {
      const auto owner = index_of(followed_->owners[slot]);
      std::vector<std::size_t> holders;
      for (const auto& name : followed_->replicas[slot])
        if (const auto holder = index_of(name); holder != none) holders.push_back(holder);
      if (owner == none || holders.size() != followed_->replicas[slot].size()) {
        unplaced_[slot] = true;
        continue;
      }
      owners_[slot] = owner;
      replicas_[slot] = std::move(holders);
    }
  for (std::size_t slot = 0; slot < slot_count; ++slot)
    nodes_[owners_[slot]].hash_range.push_back(static_cast<int>(slot));
}

std::size_t cluster_view::stand_in_for(std::size_t slot, const std::vector<std::size_t>& stand_ins,
                                       std::size_t fallback) const {
  if (!followed_) return fallback;
  // The stand-in serving the slot already keeps it: moving it again (to a holder that has
  // caught up since) would cost a second handover for nothing.
  for (auto candidate : stand_ins)
    if (nodes_[candidate].name == followed_->owners[slot]) return candidate;
  // A holder the agreed layout lists as lagging misses writes the others acknowledged, one it
  // lists as arriving may miss what was there before it held the slot; a node that held no
  // copy has none of them.
  const auto& holders = followed_->replicas[slot];
  for (auto candidate : stand_ins) {
    const auto& name = nodes_[candidate].name;
    if (std::find(holders.begin(), holders.end(), name) != holders.end() &&
        !followed_->lags(slot, name) && !followed_->arrives(slot, name))
      return candidate;
  }
  return fallback;
}

std::size_t cluster_view::index_of(const std::string& name) const {
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].name == name) return i;
  return none;
}

std::vector<node_info> cluster_view::served_nodes() const {
  auto out = nodes_;
  if (followed_)
    for (auto& node : out)
      if (std::binary_search(followed_->down.begin(), followed_->down.end(), node.name))
        node.active = false;
  return out;
}

bool cluster_view::self_down() const {
  return followed_ &&
         std::binary_search(followed_->down.begin(), followed_->down.end(), self().name);
}

std::vector<std::string> cluster_view::follow(std::optional<agreed_layout> agreed) {
  followed_ = std::move(agreed);
  std::vector<std::string> let_back;
  if (followed_)
    for (const auto& name : followed_->members) {
      auto gone = departed_.find(name);
      if (gone == departed_.end() || !serves_in(*followed_, name)) continue;
      departed_.erase(gone);
      let_back.push_back(name);
      auto report = departed_reports_.find(name);
      if (report == departed_reports_.end()) continue;  // the next report adds it
      const auto node = std::move(report->second);
      departed_reports_.erase(report);
      merge(node);
    }
  relayout();
  return let_back;
}

agreed_layout cluster_view::wanted_layout() const {
  agreed_layout layout;
  const auto r = rank_nodes();
  std::vector<std::pair<std::string, uint64_t>> members;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const auto& name = nodes_[i].name;
    const uint64_t known = nodes_[i].voter;
    members.emplace_back(name, known != 0 || !followed_ ? known : followed_->identity_of(name));
    if (r.rank_of[i] != none && !serving(i)) layout.down.push_back(name);
  }
  std::sort(members.begin(), members.end());
  for (auto& [name, identity] : members) {
    layout.members.push_back(std::move(name));
    layout.member_ids.push_back(identity);
  }
  std::sort(layout.down.begin(), layout.down.end());
  layout.owners.resize(slot_count);
  layout.replicas.resize(slot_count);
  layout.lagging.resize(slot_count);
  static const std::vector<std::string> no_names;
  for (std::size_t slot = 0; slot < slot_count; ++slot) {
    const auto& owner = nodes_[derived_owners_[slot]].name;
    layout.owners[slot] = owner;
    // Only the slot's owner knows who lags; every other node carries on what was agreed.
    const bool owned_here =
        owner == self().name && (!followed_ || followed_->owners[slot] == owner);
    const auto& lagging = owned_here  ? own_lagging_[slot]
                          : followed_ ? followed_->lagging_of(slot)
                                      : no_names;
    for (auto index : derived_replicas_[slot]) {
      const auto& holder = nodes_[index].name;
      layout.replicas[slot].push_back(holder);
      if (std::find(lagging.begin(), lagging.end(), holder) != lagging.end())
        layout.lagging[slot].push_back(holder);
    }
  }
  if (followed_) list_arriving(layout);
  return layout;
}

void cluster_view::list_arriving(agreed_layout& layout) const {
  layout.arriving.resize(slot_count);
  for (std::size_t slot = 0; slot < slot_count; ++slot) {
    auto arriving = [&](const std::string& name) {
      if (!followed_->holds(slot, name)) return true;  // its copy starts arriving now
      return name == self().name ? own_arriving_[slot] : followed_->arrives(slot, name);
    };
    if (arriving(layout.owners[slot])) layout.arriving[slot].push_back(layout.owners[slot]);
    for (const auto& holder : layout.replicas[slot])
      if (arriving(holder)) layout.arriving[slot].push_back(holder);
  }
}

bool cluster_view::report_lagging(int slot, const std::string& holder, bool lagging) {
  if (slot < 0 || slot >= slot_count) return false;
  auto& names = own_lagging_[static_cast<std::size_t>(slot)];
  const auto it = std::find(names.begin(), names.end(), holder);
  if (lagging == (it != names.end())) return false;
  if (lagging)
    names.push_back(holder);
  else
    names.erase(it);
  return true;
}

bool cluster_view::note_arriving(int slot, bool arriving) {
  if (slot < 0 || slot >= slot_count) return false;
  auto& noted = own_arriving_[static_cast<std::size_t>(slot)];
  if (noted == arriving) return false;
  noted = arriving;
  return true;
}

std::vector<std::string> cluster_view::adopt_lagging(int slot) {
  const auto index = static_cast<std::size_t>(slot);
  auto& names = own_lagging_[index];
  names.clear();
  if (!followed_) return names;
  for (auto holder : replicas_[index])
    if (followed_->lags(index, nodes_[holder].name)) names.push_back(nodes_[holder].name);
  return names;
}

}  // namespace ovo
