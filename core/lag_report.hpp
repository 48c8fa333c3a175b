#pragma once
// A slot owner's report that a replica holder lags, and which such holders its writes need not
// wait for (docs/cluster.md, "Lagging holders are agreed"). Plain logic.

#include "core/layout_register.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ovo {

/// One holder out of a slot's in-sync set, as this node's shard reported it.
struct lag_report {
  uint64_t departure = 0;          ///< the number of its departure (in_sync_set::departure)
  uint64_t reported_at_epoch = 0;  ///< the layout epoch installed when the report came
};

/// The holders of `slot` in `reports` (by name) that writes need not wait for, with their
/// departures: `installed` lists them lagging and was agreed after their report came. Every
/// layout after such a one lists them too, until the owner reports them caught up: it was
/// proposed by nodes that had installed a layout agreed after the report (the owner's own
/// proposals list the holder since; the others carry the list on). A layout agreed earlier may
/// still be followed by one the owner proposed before the report, without the holder.
inline std::vector<std::pair<std::string, uint64_t>> lagging_not_waited_for(
    const agreed_layout& installed, std::size_t slot,
    const std::map<std::string, lag_report>& reports) {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (const auto& [holder, report] : reports)
    if (installed.epoch > report.reported_at_epoch && installed.lags(slot, holder))
      out.emplace_back(holder, report.departure);
  return out;
}

}  // namespace ovo
