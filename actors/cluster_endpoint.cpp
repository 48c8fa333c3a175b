#include "actors/cluster_endpoint.hpp"

#include "config/defaults.hpp"
#include "core/logging.hpp"
#include "core/secrets.hpp"

#include <caf/io/middleman.hpp>

namespace ovo {
namespace {

using self_ptr = cluster_endpoint_actor::stateful_pointer<cluster_endpoint_state>;

caf::error refused(const std::string& why) {
  component_log("admin")->warn("admin access refused: {}", why);
  return caf::make_error(caf::sec::invalid_argument, "admin access refused: " + why);
}

/// The admin actor for a caller that presents the token, or (no token configured) that comes
/// over loopback; a refusal otherwise.
caf::result<admin_actor> hand_out_admin(self_ptr self, const std::string& token) {
  auto& st = self->state;
  if (!st.admin_token.empty()) {
    if (constant_time_equal(token, st.admin_token)) return st.admin;
    return refused("wrong or missing admin token (ovoctl --token-file)");
  }
  const auto sender = self->current_sender();
  if (!sender || sender->node() == self->system().node()) return st.admin;
  // No token configured: like Redis's protected mode, only this machine may administer.
  auto promise = self->make_response_promise<admin_actor>();
  self->request(self->system().middleman().actor_handle(), defaults::peer_join_timeout,
                caf::get_atom_v, sender->node())
      .then(
          [self, promise](const caf::node_id&, std::string& host, uint16_t) mutable {
            if (is_loopback_host(host))
              promise.deliver(self->state.admin);
            else
              promise.deliver(
                  refused("no Settings.AdminTokenFile is configured, so admin is "
                          "accepted only over loopback, not from " +
                          host));
          },
          [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
  return promise;
}

}  // namespace

cluster_endpoint_actor::behavior_type cluster_endpoint(
    cluster_endpoint_actor::stateful_pointer<cluster_endpoint_state> self,
    cluster_manager_actor manager, admin_actor admin, std::string admin_token) {
  self->state.manager = manager;
  self->state.admin = std::move(admin);
  self->state.admin_token = std::move(admin_token);
  self->link_to(manager);
  auto to_manager = [self](auto&&... xs) {
    return self->delegate(self->state.manager, std::forward<decltype(xs)>(xs)...);
  };
  return {
      [=](caf::forward_atom atom, command& cmd) { return to_manager(atom, std::move(cmd)); },
      [=](caf::forward_atom atom, uint64_t batch, uint64_t epoch, std::vector<command>& commands) {
        return to_manager(atom, batch, epoch, std::move(commands));
      },
      [=](replicate_atom atom, uint64_t batch, uint64_t epoch, std::vector<replica_write>& writes) {
        return to_manager(atom, batch, epoch, std::move(writes));
      },
      [=](adopt_atom atom, object_record& record) { return to_manager(atom, std::move(record)); },
      [=](caf::join_atom atom, uint32_t protocol, node_info& joiner) {
        return to_manager(atom, protocol, std::move(joiner));
      },
      [=](caf::update_atom atom, std::vector<node_info>& view) {
        return to_manager(atom, std::move(view));
      },
      [=](migrate_atom atom, int slot, bool counters, bool last, bool settled, uint64_t epoch,
          std::vector<replica_write>& writes) {
        return to_manager(atom, slot, counters, last, settled, epoch, std::move(writes));
      },
      [=](fetch_atom atom, std::string& key, bool counter) {
        return to_manager(atom, std::move(key), counter);
      },
      [=](twin_atom atom, std::string& twin, bool add) {
        return to_manager(atom, std::move(twin), add);
      },
      [=](digest_atom atom, int slot) { return to_manager(atom, slot); },
      [=](takeover_atom atom, std::string& taker, std::vector<std::string>& owners, uint64_t epoch,
          int64_t notice) {
        return to_manager(atom, std::move(taker), std::move(owners), epoch, notice);
      },
      [=](takeover_atom atom, caf::ok_atom ok, std::string& told, int64_t notice) {
        return to_manager(atom, ok, std::move(told), notice);
      },
      [=](layout_atom atom, uint64_t epoch, ballot& b) {
        return to_manager(atom, epoch, std::move(b));
      },
      [=](layout_atom atom, ballot& b, agreed_layout& layout) {
        return to_manager(atom, std::move(b), std::move(layout));
      },
      [=](layout_atom atom, agreed_layout& layout) { return to_manager(atom, std::move(layout)); },
      [=](pull_atom atom, int slot, std::string& requester) {
        return to_manager(atom, slot, std::move(requester));
      },
      [=](summary_atom atom, int slot) { return to_manager(atom, slot); },
      [self](admin_atom, std::string& token) { return hand_out_admin(self, token); },
      [self](status_atom atom) { return self->delegate(self->state.admin, atom); },
      [](ping_atom) { return true; },
  };
}

}  // namespace ovo
