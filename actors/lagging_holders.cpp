#include "actors/lagging_holders.hpp"

#include "actors/layout_agreement.hpp"
#include "actors/peer_requests.hpp"
#include "core/logging.hpp"

namespace ovo {

void listen_to_lagging_reports(cluster_manager_self self) {
  for (const auto& shard : self->state.local.shards)
    self->send(shard, lagging_atom_v, caf::actor_cast<caf::strong_actor_ptr>(self));
}

void lagging_reported(cluster_manager_self self, int slot, const std::string& holder,
                      bool lagging) {
  if (!self->state.view->report_lagging(slot, holder, lagging)) return;
  component_log("replication")
      ->info("slot {}: {} {}; the next layout says so", slot, holder,
             lagging ? "is lagging" : "caught up");
  want_layout(self);
}

void adopt_lagging_holders(cluster_manager_self self, bool every_owned) {
  auto& st = self->state;
  const auto& me = st.view->self().name;
  for (int slot = 0; slot < slot_count; ++slot) {
    const auto index = static_cast<std::size_t>(slot);
    if (st.view->owner_name(index) != me || (!every_owned && st.owner_before[index] == me))
      continue;
    for (const auto& holder : st.view->adopt_lagging(slot)) {
      component_log("replication")
          ->info("slot {}: the agreed layout lists {} as lagging; catching it up", slot, holder);
      self->send(shard_for_slot(self, slot), lagging_atom_v, slot, holder);
    }
  }
}

}  // namespace ovo
