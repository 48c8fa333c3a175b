#pragma once
#include "actors/interfaces.hpp"
#include "actors/node_metrics.hpp"
#include "actors/routing_table.hpp"
#include "actors/slot_mover.hpp"
#include "core/cluster_view.hpp"
#include "core/lag_report.hpp"
#include "core/placement_epochs.hpp"

#include <caf/io/middleman_actor.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace ovo {

/// The actors of this node that own data, for commands forwarded here by peers.
struct local_targets {
  std::vector<shard_actor> shards;
};

/// The layout register's vote saved by the last run (docs/cluster.md, "Layout epochs"), and
/// how to save it before a granted vote is sent (false: it could not be saved, so the vote is
/// not granted). Without `save` nothing is kept (the protocol tests).
struct layout_vote_store {
  std::optional<acceptor_state> saved;
  std::function<bool(const acceptor_state&)> save;
};

/// How this node's cluster behaves (from Settings).
struct cluster_options {
  bool keep_replicas = true;            ///< false: Replication "off"
  bool answer_before_replicas = false;  ///< Replication "async"
  /// Copies a write needs in sync, owner included (Settings.MinCopies; "sync" only).
  int min_copies = 1;
  std::chrono::milliseconds replica_timeout{2000};  ///< Settings.ReplicaTimeoutMs
  std::chrono::seconds dead_node_removal{0};        ///< 0: never remove an unreachable node
  std::chrono::seconds verify_interval{0};          ///< 0: anti-entropy only when asked
  /// PartitionPolicy "majority": only a side reaching a majority of the members serves and
  /// takes slots over, NodeTimeoutMs after a link dropped (docs/cluster.md, "Partitions").
  bool majority_rule = true;
  std::chrono::milliseconds node_timeout{2000};  ///< Settings.NodeTimeoutMs
  bool reads_in_minority = false;                ///< Settings.ReadsInMinority
  /// Probe a peer's APIPort before connecting (peer_connection.hpp); off only in CAF's test
  /// multiplexer, which has no network.
  bool probe_peers = true;
  /// Connects to peers: CAF's middleman when null, else the TLS one (tls_transport.hpp).
  caf::io::middleman_actor transport;
  /// Nodes asked to take this node as their twin once reached (ServerNode.Stepbrothers).
  std::vector<std::string> stepbrothers;
  /// Where finished rebalancing passes are counted (GET /metrics); may be null.
  std::shared_ptr<node_metrics> metrics;
  layout_vote_store layout_votes;
};

/// A slot whose data is on its way here (slot_arrivals.hpp).
struct slot_arrival {
  bool open = false;
  uint8_t namespaces_left = 0;  ///< bit 0 objects, bit 1 counters: last chunk still awaited
  /// The same bits: a last chunk of `served_by`'s whole copy arrived (receive_slot).
  uint8_t settled_namespaces = 0;
  /// What this node holds of the slot is distrusted (expect_new_slots): no source for others.
  bool distrusted = false;
  /// Set only for a window a takeover notice opened: the owner that notice named, whose whole
  /// copy may drop what this node holds and nothing confirmed (docs/cluster.md, "What the
  /// serving node no longer has is dropped"). Empty: nothing held here is dropped.
  std::string served_by;
  std::size_t pulls_left = 0;  ///< pulls asked and not answered yet
  bool pull_failed = false;    ///< one of them failed: pull again
  uint64_t pull_round = 0;     ///< the round of the pulls out (answers to others are ignored)
  std::chrono::steady_clock::time_point since;  ///< opened, or its last chunk or pull
};

/// Called with every new view (to rewrite `<conf>.temp`).
using topology_listener = std::function<void(const std::vector<node_info>&)>;

struct cluster_manager_state {
  static inline const char* name = "cluster_manager";
  std::unique_ptr<cluster_view> view;
  local_targets local;
  std::shared_ptr<routing_holder> routing;
  std::map<std::string, peer_connection_actor> peers;
  topology_listener on_change;
  cluster_options options;
  std::array<bool, slot_count> held{};               ///< slots this node held in the previous view
  std::array<std::string, slot_count> owner_before;  ///< each slot's owner in the previous view
  std::array<std::string, slot_count> previous_owner;  ///< who served a slot before this node
  bool bootstrapped = false;  ///< previous_owner was set from the cluster's view on joining
  /// This node is joining another cluster (join_another_cluster) and has not installed a layout
  /// of it naming it yet: it applies no command meanwhile (routing_table::joining).
  bool joining = false;
  /// It left the layouts it agreed alone and its shards have not all restarted their epochs
  /// yet: a repeated ovoctl join asks them again.
  bool epochs_to_restart = false;
  std::array<slot_arrival, slot_count> arrivals;
  /// Per slot: this node's copy has everything acknowledged in the slot. Set when the slot's
  /// data arrived (or nobody else could have any); cleared when a window opens, when one closes
  /// because the slot is no longer this node's, and when the slot is dropped (copy_settled).
  std::array<bool, slot_count> whole_copy{};
  std::chrono::steady_clock::time_point last_chunk;  ///< any slot's chunk received last
  bool arrival_check_scheduled = false;
  uint64_t pull_rounds = 0;        ///< rounds of pulls asked so far (each slot_arrival's is unique)
  std::set<std::string> links_up;  ///< peers whose connection is up right now
  /// Bumped on every up or down of a peer's link: a timer started by an earlier change (take
  /// over, remove) finds it changed and does nothing.
  std::map<std::string, int64_t> link_changes;
  /// PartitionPolicy "majority": this node reaches no majority of the members and serves nothing.
  bool in_minority = false;
  /// It has reached a majority since it started: only then does leaving a minority mean coming
  /// back to a cluster that may have moved on (a first start or restart is handled as such).
  bool had_majority = false;
  /// Back from a minority: the slots it holds are reconciled as arrivals whose local copies may
  /// be stale (expect_new_slots).
  bool distrust_local_copies = false;
  /// The owner of each slot a takeover notice named (learn_taken_over), kept until the windows
  /// that notice distrusts are open (expect_new_slots); empty otherwise.
  std::vector<std::string> takeover_owners;
  /// Peers this node took over under the majority rule (marked INACTIVE after their link
  /// stayed down): when the link returns, each is told so before it counts as serving again
  /// (tell_taken_over).
  std::set<std::string> taken_over;
  /// The node behind each peer's connection to this one (learned from its handshake): whose
  /// replica writes and slot pushes a message carries.
  std::map<caf::node_id, std::string> peer_nodes;
  /// When each peer was last sent the installed layout because it stamped a message with an
  /// older epoch (stamped_behind): at most once per stale_stamp_retell.
  std::map<std::string, std::chrono::steady_clock::time_point> told_newer_layout;
  /// Since which installed epoch each slot has its owner and holders: replica writes and slot
  /// pushes stamped older than that are refused.
  placement_epochs placements;
  slot_mover_state mover;
  /// The layout register (layout_agreement.hpp): this node's vote, its proposal under way,
  /// the last round it proposed in, whether a proposal is due, and whether one is due for
  /// copies that arrived (slot_arrivals.hpp).
  std::unique_ptr<layout_acceptor> acceptor;
  std::optional<layout_proposal> proposal;
  uint64_t layout_round = 0;
  bool proposal_due = false;
  bool arrival_report_due = false;
  /// Per slot this node owns: the holders its shard reported out of sync (lagging_holders.hpp).
  std::array<std::map<std::string, lag_report>, slot_count> lag_reports;
};

/// Everything that follows a change of the layout this node serves by (the layout register
/// installed a new one): new slots expected, routing published, slots moved.
void serving_layout_changed(cluster_manager_actor::stateful_pointer<cluster_manager_state> self);

/// The agreed layout has `name` down (another node took it over): this node treats it as taken
/// over too, refusing its replica writes, slot pushes and proposals until it told it; without
/// this a node serving its slots by agreement would still confirm its replica writes.
void take_over_as_agreed(cluster_manager_actor::stateful_pointer<cluster_manager_state> self,
                         const std::string& name);

/// Keeps the cluster view: contacts `seeds` (configured peers), merges what peers report, keeps
/// one peer_connection per known node, publishes the routing table on every change, and serves
/// the commands peers forward to this node.
cluster_manager_actor::behavior_type cluster_manager(
    cluster_manager_actor::stateful_pointer<cluster_manager_state> self, node_info me,
    local_targets local, std::shared_ptr<routing_holder> routing, std::vector<node_info> seeds,
    topology_listener on_change, cluster_options options);

}  // namespace ovo
