#pragma once
// The cluster manager's side of lagging replica holders (docs/cluster.md, "Lagging holders are
// agreed"): its shards report holders of its slots that fell out of sync or caught up, and its
// proposals list the lagging ones in the agreed layout, so that no failover promotes one of
// them; a node that comes to own a slot has its shard catch up the holders that layout lists.

#include "actors/cluster_manager.hpp"

#include <string>
#include <utility>
#include <vector>

namespace ovo {

/// Where this node's shards report: this cluster manager.
void listen_to_lagging_reports(cluster_manager_self self);

/// A shard reports that `holder` left the in-sync set of `slot` (`lagging`, its departure
/// numbered `departure`) or caught up. True when the routing table must show it.
bool lagging_reported(cluster_manager_self self, int slot, const std::string& holder, bool lagging,
                      uint64_t departure);

/// The holders of `slot` out of sync that its writes need not wait for, with their departures
/// (core/lag_report.hpp).
std::vector<std::pair<std::string, uint64_t>> lagging_not_waited_for(cluster_manager_self self,
                                                                     int slot);

/// The slots this node owns now and did not own before (all it owns when `every_owned`, at
/// start): takes over their lagging holders from the agreed layout and has the shards catch
/// them up.
void adopt_lagging_holders(cluster_manager_self self, bool every_owned);

}  // namespace ovo
