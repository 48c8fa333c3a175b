#pragma once
// The cluster manager's side of anti-entropy (docs/cluster.md, "Anti-entropy"): rounds over the
// slots this node owns (every Settings.VerifyIntervalSeconds, and on `ovoctl verify`), and the
// answers to an owner comparing its slot with this node's copy. The comparison itself is the
// slot's shard's (slot_verify.hpp).

#include "actors/cluster_manager.hpp"
#include "actors/slot_mover.hpp"

#include <vector>

namespace ovo {

/// The digest of this node's copy of `slot`, for its owner; refused for a slot this node does
/// not hold.
caf::result<uint64_t> digest_for_owner(cluster_manager_self self, int slot);

/// The summary of this node's copy of `slot`, for its owner; refused like digest_for_owner.
caf::result<std::vector<key_version>> summary_for_owner(cluster_manager_self self, int slot);

/// Compares every slot this node owns with its replica holders (`repair`: and gives the older
/// copies the newer states); answers the totals.
caf::result<verify_report> verify_owned_slots(cluster_manager_self self, bool repair);

/// Runs a repairing round now and schedules the next one VerifyIntervalSeconds after it ends.
void run_verify_round(cluster_manager_self self);

/// Schedules the first round (no-op when VerifyIntervalSeconds is 0).
void schedule_verify_round(cluster_manager_self self);

}  // namespace ovo
