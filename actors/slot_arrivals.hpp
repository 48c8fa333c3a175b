#pragma once
// The cluster manager's side of slots arriving on this node (docs/cluster.md, "The life of a
// slot"): which slots it newly holds, which node served each before (reads go there meanwhile),
// and when each slot's data has arrived. A slot has arrived when a push's last chunk of each
// namespace came in, or when every node it pulled the slot from sent its copy; never because
// time passed. A slot with no chunk for a while is pulled from its previous holder, or, when
// that one is gone, from every node.

#include "actors/cluster_manager.hpp"
#include "actors/slot_mover.hpp"

#include <vector>

namespace ovo {

/// Tells the local holders which slots this node holds since the last view: their data is on
/// its way, and what is written here before it arrives must win.
void expect_new_slots(cluster_manager_self self);

/// Remembers who served the slots this node now serves (after a view change).
void note_previous_owners(cluster_manager_self self);

/// On joining: where the data is before this node takes its share, from a peer's first view.
void bootstrap_previous_owners(cluster_manager_self self, const std::vector<node_info>& nodes);

/// Stores one chunk of one namespace (objects, or counters) of a slot's entries sent by the
/// node `sender` (its name, "" when unknown), in the slot's shard; answers once they are
/// stored. `last`: the sender's data of that namespace is complete; `settled`: and whole
/// (copy_settled there).
caf::result<bool> receive_slot(cluster_manager_self self, const std::string& sender, int slot,
                               bool counters, bool last, bool settled,
                               std::vector<replica_write> writes);

/// Whether this node's copy of `slot` has everything acknowledged in it (whole_copy: its data
/// arrived here and was not dropped since), so a receiver that distrusts its own copy may drop
/// what this one lacks, if this node is the one it believes served the slot (receive_slot).
bool copy_settled(cluster_manager_self self, int slot);

/// Pulls the slots that wait too long (see above); runs every arrival_check_interval while a
/// slot is arriving.
void check_arrivals(cluster_manager_self self);

/// (pull, slot, requester): pushes this node's copy of `slot` (maybe empty) to `requester`.
caf::result<uint64_t> push_to_puller(cluster_manager_self self, int slot,
                                     const std::string& requester);

}  // namespace ovo
