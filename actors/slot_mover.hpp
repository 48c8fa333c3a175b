#pragma once
// Moves slot data after the layout changed: the cluster manager's rebalancing passes. Each pass
// plans with plan_pushes, then handles one slot at a time (the slot's shard and the counter
// table each push their entries to every target, then drop them here once all confirmed) and
// logs its progress.

#include "actors/interfaces.hpp"
#include "core/migration_plan.hpp"

#include <chrono>
#include <set>
#include <vector>

namespace ovo {

struct cluster_manager_state;

/// The cluster manager's rebalancing bookkeeping.
struct slot_mover_state {
  holder_map last;       ///< holders of every slot whose data was handed over at the last pass
  bool running = false;  ///< a pass is in progress
  bool again = false;    ///< the layout changed during the pass: run another one after it
  std::size_t passes_done = 0;
  std::size_t pass_slots = 0;  ///< slot pushes the running (or last) pass planned
  std::size_t pass_done = 0;   ///< of which started so far (the dashboard's progress)
  /// Nodes whose connection dropped since the last pass: replica writes to them may have
  /// failed, so the next pass sends them their slots again even if the layout looks the same.
  std::set<std::string> lost_contact;
  std::vector<caf::typed_response_promise<bool>> leave_waiters;        ///< answered when drained
  std::vector<caf::typed_response_promise<pass_report>> pass_waiters;  ///< ovoctl rebalance
};

using cluster_manager_self = cluster_manager_actor::stateful_pointer<cluster_manager_state>;

/// Starts a pass now, or right after the running one.
void run_rebalance(cluster_manager_self self);

/// Whether this node holds no slot (a leave is complete once no pass is running either).
bool holds_nothing(cluster_manager_self self);

}  // namespace ovo
