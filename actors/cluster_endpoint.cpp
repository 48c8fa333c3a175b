#include "actors/cluster_endpoint.hpp"

namespace ovo {

cluster_endpoint_actor::behavior_type cluster_endpoint(
    cluster_endpoint_actor::stateful_pointer<cluster_endpoint_state> self,
    cluster_manager_actor manager, admin_actor admin) {
  self->state.manager = manager;
  self->state.admin = std::move(admin);
  self->link_to(manager);
  auto to_manager = [self](auto&&... xs) {
    return self->delegate(self->state.manager, std::forward<decltype(xs)>(xs)...);
  };
  return {
      [=](caf::forward_atom atom, command& cmd) { return to_manager(atom, std::move(cmd)); },
      [=](caf::forward_atom atom, uint64_t batch, std::vector<command>& commands) {
        return to_manager(atom, batch, std::move(commands));
      },
      [=](replicate_atom atom, uint64_t batch, std::vector<replica_write>& writes) {
        return to_manager(atom, batch, std::move(writes));
      },
      [=](adopt_atom atom, object_record& record) { return to_manager(atom, std::move(record)); },
      [=](caf::join_atom atom, node_info& joiner) { return to_manager(atom, std::move(joiner)); },
      [=](caf::update_atom atom, std::vector<node_info>& view) {
        return to_manager(atom, std::move(view));
      },
      [=](migrate_atom atom, int slot, bool counters, bool last,
          std::vector<replica_write>& writes) {
        return to_manager(atom, slot, counters, last, std::move(writes));
      },
      [=](fetch_atom atom, std::string& key, bool counter) {
        return to_manager(atom, std::move(key), counter);
      },
      [=](twin_atom atom, std::string& twin, bool add) {
        return to_manager(atom, std::move(twin), add);
      },
      [self](admin_atom) { return self->state.admin; },
  };
}

}  // namespace ovo
