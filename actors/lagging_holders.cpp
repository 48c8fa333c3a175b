#include "actors/lagging_holders.hpp"

#include "actors/layout_agreement.hpp"
#include "actors/peer_requests.hpp"
#include "core/logging.hpp"

namespace ovo {

void listen_to_lagging_reports(cluster_manager_self self) {
  for (const auto& shard : self->state.local.shards)
    self->send(shard, lagging_atom_v, caf::actor_cast<caf::strong_actor_ptr>(self));
}

bool lagging_reported(cluster_manager_self self, int slot, const std::string& holder, bool lagging,
                      uint64_t departure) {
  auto& st = self->state;
  // With PartitionPolicy "available" each side serves by its own view: nothing to agree.
  if (!st.options.majority_rule || slot < 0 || slot >= slot_count) return false;
  auto& reports = st.lag_reports[static_cast<std::size_t>(slot)];
  if (lagging)
    reports[holder] = {departure, st.acceptor->installed().epoch};
  else
    reports.erase(holder);
  if (st.view->report_lagging(slot, holder, lagging)) {
    component_log("replication")
        ->info("slot {}: {} {}; the next layout says so", slot, holder,
               lagging ? "is lagging" : "caught up");
    want_layout(self);
  }
  return true;
}

std::vector<std::pair<std::string, uint64_t>> lagging_not_waited_for(cluster_manager_self self,
                                                                     int slot) {
  auto& st = self->state;
  if (!st.acceptor) return {};
  const auto index = static_cast<std::size_t>(slot);
  return lagging_not_waited_for(st.acceptor->installed(), index, st.lag_reports[index]);
}

void adopt_lagging_holders(cluster_manager_self self, bool every_owned) {
  auto& st = self->state;
  const auto& me = st.view->self().name;
  for (int slot = 0; slot < slot_count; ++slot) {
    const auto index = static_cast<std::size_t>(slot);
    if (st.view->owner_name(index) != me || (!every_owned && st.owner_before[index] == me))
      continue;
    st.lag_reports[index].clear();  // an earlier time this node owned the slot
    for (const auto& holder : st.view->adopt_lagging(slot)) {
      component_log("replication")
          ->info("slot {}: the agreed layout lists {} as lagging; catching it up", slot, holder);
      self->send(shard_for_slot(self, slot), lagging_atom_v, slot, holder);
    }
  }
}

}  // namespace ovo
