#pragma once
// Where each slot's commands go. The cluster manager builds a new immutable table whenever the
// view changes and swaps it in; REST threads and shards read the current one without waiting
// for any actor.

#include "actors/interfaces.hpp"
#include "core/slot_hash.hpp"

#include <array>
#include <atomic>
#include <memory>

namespace ovo {

struct routing_table {
  /// The agreed layout epoch this node has installed (docs/cluster.md, "Layout epochs"): the
  /// epoch of every version its shards stamp under this table, and the stamp on every replica
  /// write, slot push and forwarded batch its peer connections send meanwhile.
  uint64_t epoch = 0;
  /// The connection to the slot's owner; an invalid handle means this node owns it.
  std::array<peer_connection_actor, slot_count> remote_owner;
  /// The connections to the nodes holding the slot's replicas (none: no remote replica).
  std::array<std::vector<peer_connection_actor>, slot_count> replicas;
  /// Their names, in the same order (the in-sync set is kept by name).
  std::array<std::vector<std::string>, slot_count> replica_names;
  /// Per slot: the installed layout places it on a node this one does not know yet (gossip
  /// lags): nobody here serves it, so its commands are refused (cluster_view::unplaced).
  std::array<bool, slot_count> unplaced{};
  /// The node that served the slot before this one took it over, while its data may still be
  /// on the way; invalid when unknown.
  std::array<peer_connection_actor, slot_count> previous_owner;
  /// Answer a write before its replica holder confirmed (Settings.Replication "async").
  bool answer_before_replicas = false;
  /// Copies a write needs in sync, owner included: min(MinCopies, data nodes serving), and 1
  /// with Replication "async" or "off" (docs/cluster.md, "In-sync copies").
  int copies_needed = 1;
  /// This node cannot reach a majority of the members (PartitionPolicy "majority"): it applies
  /// no command, and answers reads only with ReadsInMinority (docs/cluster.md, "Partitions").
  bool in_minority = false;
  bool reads_in_minority = false;
  /// With the majority rule: the members a majority reports unreachable. A replica holder out
  /// of sync that is not among them may be reachable from the majority while this node is cut
  /// off from it, so the slot takes no write until it caught up (replication.hpp).
  bool lagging_holders_block = false;
  std::vector<std::string> down_by_majority;
  /// Per slot: the replica holders out of sync that a write need not wait for, each with the
  /// number of the departure from the in-sync set this holds for (in_sync_set::departure): the
  /// agreed layout lists them lagging, and every later layout will until they caught up, so no
  /// failover promotes them (lagging_holders.hpp).
  std::array<std::vector<std::pair<std::string, uint64_t>>, slot_count> agreed_lagging;
  /// This node is a witness: it holds no data, so a command the layout would run here (no data
  /// node is ranked yet) is refused.
  bool witness = false;
  /// This node is joining another cluster and has not installed a layout of it naming it yet: it
  /// applies no command, since what it acknowledged meanwhile would be dropped or lose to the
  /// cluster's copies (docs/cluster.md, "Joining another cluster").
  bool joining = false;
};

/// One published table, kept alive by whoever acts on it (a write and its replicas use one).
using routing_snapshot = std::shared_ptr<const routing_table>;

/// The remote owner of `slot` in `table`, or an invalid handle when it is ours (or no table).
inline peer_connection_actor remote_owner_in(const routing_table* table, int slot) {
  return table ? table->remote_owner[static_cast<std::size_t>(slot)] : peer_connection_actor{};
}

class routing_holder {
 public:
  routing_snapshot current() const { return std::atomic_load(&table_); }
  void publish(routing_snapshot table) { std::atomic_store(&table_, std::move(table)); }

  /// The remote owner of `slot`, or an invalid handle when it is ours (or nothing is published).
  peer_connection_actor remote_owner_of(int slot) const {
    return remote_owner_in(current().get(), slot);
  }

  /// The node that served `slot` before this one, or an invalid handle.
  peer_connection_actor previous_owner_of(int slot) const {
    auto table = current();
    return table ? table->previous_owner[static_cast<std::size_t>(slot)] : peer_connection_actor{};
  }

 private:
  routing_snapshot table_;
};

}  // namespace ovo
