#pragma once
// A holder's last check before it runs a key command. The command was routed here (by a REST
// thread, or by the cluster manager for a peer) from the routing table of that moment; the
// layout may have changed since. A write runs only where the current table says this node owns
// the key's slot, and is replicated to that same table's twins: a rebalancing pass trusts that
// every holder of a layout got every write made under it, and a write decided under one layout
// but replicated under the next reached neither set of holders in full (the old owner then
// dropped the slot, the new owner never had the key).

#include "actors/interfaces.hpp"
#include "actors/routing_table.hpp"
#include "config/defaults.hpp"

namespace ovo {

/// Runs `run(table, deliver)` when this node owns `cmd`'s slot in the current routing table (or
/// `cmd` addresses no key); otherwise passes `cmd` on to the owner and delivers its answer.
/// Views that disagree for a moment can send a command back and forth: after max_forward_hops
/// a write is refused (nothing is written, the client may retry) and a read is answered here,
/// but only with what this node holds: a miss here proves nothing, since the slot is not ours
/// (a node that had handed the slot over answered 404 for keys its owner held).
template <class Self, class Deliver, class Run>
void run_as_owner(Self self, const command& cmd, const Deliver& deliver, Run run) {
  const auto& routing = self->state.routing;
  const routing_snapshot table = routing ? routing->current() : nullptr;
  const auto owner = is_node_wide_op(cmd.kind) ? peer_connection_actor{}
                                               : remote_owner_in(table.get(), slot_of(cmd.key));
  if (!owner) {
    run(table, deliver);
    return;
  }
  if (cmd.hops >= defaults::max_forward_hops) {
    if (is_write_op(cmd.kind))
      deliver(failure(status::unavailable,
                      "the key's slot is changing owner; nothing was written, retry"));
    else
      run(table, [deliver](reply answer) {
        if (answer.code == status::not_found)
          answer = failure(status::unavailable,
                           "the key's slot is changing owner and this node does not hold the "
                           "key; retry");
        deliver(std::move(answer));
      });
    return;
  }
  command passed = cmd;
  ++passed.hops;
  self->request(owner, defaults::forward_timeout, caf::forward_atom_v, std::move(passed))
      .then([deliver](reply& answer) { deliver(std::move(answer)); },
            [self, deliver](caf::error& err) {
              deliver(failure(status::unavailable, "the key's owner could not be reached: " +
                                                       self->system().render(err)));
            });
}

}  // namespace ovo
