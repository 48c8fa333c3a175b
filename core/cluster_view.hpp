#pragma once
// The membership every node keeps: which nodes exist, their addresses and states, and the slot
// layout derived from them. Plain logic: the cluster manager actor owns one.

#include "core/layout_register.hpp"
#include "core/node_info.hpp"
#include "core/slot_hash.hpp"

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ovo {

/// One process of a node: its name and start time. A restarted node is a different holder,
/// whose data must be sent again.
struct holder_id {
  std::string name;
  int64_t incarnation = 0;
  bool empty() const { return name.empty(); }
  bool operator==(const holder_id& other) const {
    return name == other.name && incarnation == other.incarnation;
  }
  bool operator!=(const holder_id& other) const { return !(*this == other); }
};

class cluster_view {
 public:
  /// `keep_replicas` false: no slot has a replica (replication turned off).
  explicit cluster_view(node_info self, bool keep_replicas = true);

  /// Adds or updates what we know of a node. Returns true when the view changed. Facts about this
  /// node come only from itself. ACTIVE means "reachable from here": a new node starts INACTIVE
  /// and only set_active (our connection's report) changes that.
  bool merge(const node_info& node);

  /// Marks a node ACTIVE or INACTIVE (its slots fail over to its twin); true when that changed.
  /// The first time a node is ACTIVE here it is also ranked: it takes its share of slots.
  bool set_active(const std::string& name, bool active);

  /// Marks a node not serving whatever the peers report (its rank kept): how the cluster laid
  /// the slots out while that node was away.
  void set_down(const std::string& name);

  /// Removes a node that left for good; reports of it from peers that have not heard are
  /// ignored until it comes back as a newer process (or an agreed layout names it serving:
  /// follow). True when it was known.
  bool forget(const std::string& name);

  /// Lets a forgotten node's process `incarnation` back in (it reached us again itself); true
  /// when it had been forgotten.
  bool readmit(const std::string& name, int64_t incarnation);
  /// Adds or removes `twin` from this node's twins; true when that changed.
  bool set_twin(const std::string& twin, bool add);

  /// The members this node's links do not reach (sorted); true when that changed (it is then
  /// news for the peers: a new version of this node's facts).
  bool set_unreachable(std::vector<std::string> names);
  /// Members other than `target` (this node included) that report `target` unreachable.
  std::size_t suspecting(const std::string& target) const;
  /// This node starts handing its slots over (graceful leave); true when that changed.
  bool set_leaving();
  /// The identity this node votes under in the layout register (node_info::voter).
  void set_voter(uint64_t identity);

  /// Whether this node serves `slot` or holds its replica.
  bool holds(int slot) const;

  /// The process of node `index` (name and start time), or an empty holder for `none`.
  holder_id holder_of(std::size_t index) const;

  /// Every node, this one first, with HashRange filled from the current layout.
  const std::vector<node_info>& nodes() const { return nodes_; }
  const node_info& self() const { return nodes_.front(); }
  const node_info* find(const std::string& name) const;

  /// No node (an index that names none).
  static constexpr std::size_t none = static_cast<std::size_t>(-1);

  /// The node serving every slot: index into nodes().
  const std::array<std::size_t, slot_count>& owners() const { return owners_; }
  /// The name of the node serving `slot` (every slot has one).
  const std::string& owner_name(std::size_t slot) const { return nodes_[owners_[slot]].name; }

  /// The layout this view derives, by name, with every node of the view as a member under the
  /// identity it reported (or, not known yet, the one the followed layout names): what this
  /// node proposes to the layout register (docs/cluster.md, "Layout epochs"). Epoch 0.
  agreed_layout wanted_layout() const;

  /// From now on owners() and replicas() (and each node's HashRange) are `agreed`'s, not the
  /// derived layout's: a slot's owner or holder named there but unknown here (gossip lags)
  /// falls back to the derived one, and the slot is unplaced(). Nothing: back to the derived
  /// layout. A forgotten node that `agreed` has serving (not down, holding slots) is let back
  /// in (the members agreed it is one again: its readmission reached others first), from the
  /// latest report of it a peer sent meanwhile, if any; returns the names let back in.
  std::vector<std::string> follow(std::optional<agreed_layout> agreed);
  /// Whether the followed layout places `slot` on a node this view does not know: owners()
  /// and replicas() then name the derived layout's nodes, which do not serve it.
  bool unplaced(std::size_t slot) const { return unplaced_[slot]; }

  /// This node's shard reports that `holder` fell out of sync with this node's copy of `slot`
  /// (`lagging`) or caught up again. While this node owns the slot in the followed layout and
  /// in its own, these reports are the slot's lagging holders in wanted_layout; elsewhere the
  /// followed layout's are carried on. True when that changed what this node reports.
  bool report_lagging(int slot, const std::string& holder, bool lagging);
  /// This node has just become the owner of `slot`: it takes over the followed layout's lagging
  /// holders of the slot that still hold it (they missed writes its previous owner acknowledged
  /// without them) and returns them; its shard must catch each up.
  std::vector<std::string> adopt_lagging(int slot);
  /// This node's copy of `slot` started arriving (`arriving`) or has arrived. In wanted_layout
  /// this node is listed arriving on a slot it holds while its copy arrives, or when the
  /// followed layout did not have it hold the slot; every other node is listed where it did
  /// not hold the slot in the followed layout, or where that layout lists it and it still
  /// holds the slot. True when that changed what this node reports.
  bool note_arriving(int slot, bool arriving);

  /// nodes(), each shown INACTIVE where the followed layout has it down (GET /ovo/cluster: the
  /// layout this node serves by, not what its own links see).
  std::vector<node_info> served_nodes() const;
  /// Whether the followed layout has this node down (others serve its slots).
  bool self_down() const;

  /// The nodes holding every slot's replicas: indexes into nodes() (empty: no replica).
  const std::array<std::vector<std::size_t>, slot_count>& replicas() const { return replicas_; }

 private:
  /// Recomputes the layout. Ranked nodes are ordered by join time, then name (leaving nodes left
  /// out); the balanced layout deals slots over all of them. A node's replicas live on its
  /// configured twins that are serving, or, without any, on the next serving node in that
  /// order. A slot whose node is not serving is served by the node holding its replica. Then
  /// the followed layout, if any, replaces it (follow).
  void relayout();
  /// The index of the node named `name`, or `none`.
  std::size_t index_of(const std::string& name) const;

  /// Ranked nodes in join order (then name), and each node's rank (`none`: unranked).
  struct ranking {
    std::vector<std::size_t> order;
    std::vector<std::size_t> rank_of;
  };
  ranking rank_nodes() const;
  /// Who serves `slot` of a node that does not serve: the one of its `stand_ins` (the holders
  /// of its replicas) that serves it in the followed layout, else the first that layout names
  /// a holder of the slot and lists neither as lagging nor as arriving on it, else `fallback`.
  std::size_t stand_in_for(std::size_t slot, const std::vector<std::size_t>& stand_ins,
                           std::size_t fallback) const;
  /// Fills `layout.arriving` (see note_arriving) for its owners and holders.
  void list_arriving(agreed_layout& layout) const;
  /// The first serving node at or after `rank` in join order.
  std::size_t next_serving(const ranking& r, std::size_t rank) const;
  /// Where node `index` keeps its replicas: its serving twins, else the next serving node.
  std::vector<std::size_t> replica_holders_of(const ranking& r, std::size_t index) const;

  std::vector<node_info> nodes_;
  bool keep_replicas_ = true;
  /// Whether node `index` serves its slots: this node, a node reachable from here, or one never
  /// reached from here yet that peers report ACTIVE (its slots do not fail over meanwhile).
  bool serving(std::size_t index) const;

  std::map<std::string, int64_t> departed_;  ///< forgotten nodes: name -> last incarnation
  std::map<std::string, node_info> departed_reports_;  ///< the latest report refused of each
  std::set<std::string> connected_;                    ///< nodes our own connection has reached
  std::map<std::string, bool> reported_active_;        ///< the latest gossip about each node
  std::array<std::size_t, slot_count> owners_{};
  std::array<std::vector<std::size_t>, slot_count> replicas_{};
  /// The layout derived from the view (what wanted_layout names), and the agreed one followed.
  std::array<std::size_t, slot_count> derived_owners_{};
  std::array<std::vector<std::size_t>, slot_count> derived_replicas_{};
  std::optional<agreed_layout> followed_;
  /// Per slot: the followed layout names an owner or holder this view does not know.
  std::array<bool, slot_count> unplaced_{};
  /// Per slot: the holders this node's shard reports out of sync (report_lagging).
  std::array<std::vector<std::string>, slot_count> own_lagging_{};
  /// Per slot: whether this node's copy is still arriving (note_arriving).
  std::array<bool, slot_count> own_arriving_{};
};

}  // namespace ovo
