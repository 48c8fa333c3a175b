#pragma once
// The cluster manager's side of slots arriving on this node: which slots it newly holds (their
// data is on its way), and which node served each slot before (reads go there meanwhile).

#include "actors/cluster_manager.hpp"

#include <vector>

namespace ovo {

/// Tells the local holders which slots this node holds since the last view: their data is on
/// its way, and what is written here before it arrives must win.
void expect_new_slots(cluster_manager_self self);

/// Remembers who served the slots this node now serves (after a view change).
void note_previous_owners(cluster_manager_self self);

/// On joining: where the data is before this node takes its share, from a peer's first view.
void bootstrap_previous_owners(cluster_manager_self self, const std::vector<node_info>& nodes);

}  // namespace ovo
