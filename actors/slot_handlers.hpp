#pragma once
// The slot_holder_actor handlers, written once for the shard (objects) and the counter table
// (counters). `self->state` must have `space()` (an object_space or counter_space), `arrivals`
// (an arrival_guard) and `clock`.

#include "core/arrival_guard.hpp"
#include "config/defaults.hpp"
#include "actors/interfaces.hpp"
#include "core/logging.hpp"
#include "actors/replication.hpp"

namespace ovo {

template <class Self>
auto slot_sizes_handler(Self self) {
  return [self](sizes_atom) { return self->state.space().slot_sizes(); };
}

/// Sends this actor's entries of `slot` to `target` (a peer connection) and answers how many
/// once the receiver stored them. Sent from here, in order with this actor's replica writes,
/// so none of those can arrive before the (older) slot copy.
template <class Self>
auto slot_push_handler(Self self, bool counters) {
  return [self, counters](push_atom, int slot,
                          caf::strong_actor_ptr& target) -> caf::result<uint64_t> {
    auto peer = caf::actor_cast<peer_connection_actor>(target);
    if (!peer) return caf::make_error(caf::sec::invalid_argument, "no connection to push to");
    auto entries = self->state.space().dump(slot);
    const auto count = static_cast<uint64_t>(entries.size());
    auto promise = self->template make_response_promise<uint64_t>();
    self->request(peer, defaults::migrate_timeout, migrate_atom_v, slot, counters,
                  std::move(entries))
        .then([promise, count](bool) mutable { promise.deliver(count); },
              [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
    return promise;
  };
}

template <class Self>
auto slot_drop_handler(Self self) {
  return [self](drop_atom, int slot) {
    self->state.arrivals.forget(slot);  // a later copy of the slot must be taken in full
    return static_cast<uint64_t>(self->state.space().drop(slot));
  };
}

template <class Self>
auto slot_expect_handler(Self self) {
  return [self](expect_atom, std::vector<int>& slots) {
    const auto until = self->state.clock->now_ms() + defaults::arrival_window.count();
    for (int slot : slots) self->state.arrivals.expect(slot, until);
  };
}

/// Stores arriving entries, except those written here since the slot's data was announced.
template <class Self>
auto slot_migrate_handler(Self self) {
  return [self](migrate_atom, int slot, std::vector<replica_write>& writes) {
    auto& st = self->state;
    const auto now = st.clock->now_ms();
    for (const auto& write : writes)
      if (st.arrivals.accepts(write.record.key, now)) st.space().apply(write);
    if (slot >= 0 && slot < slot_count) st.arrivals.arrived(slot);
    return true;
  };
}

/// The current state of one key, for a node that took its slot over.
template <class Self>
auto slot_fetch_handler(Self self) {
  return [self](fetch_atom, const std::string& key) { return self->state.space().snapshot(key); };
}

/// The node to read `key` from before serving it: while the key's slot is still arriving from
/// its previous owner and the key was neither written nor received here, its state may exist
/// only there. Invalid (the usual case) when the key can be served from here.
template <class Self>
peer_connection_actor arriving_source(Self self, const std::string& key) {
  // Cheapest test first: outside an arrival window (nearly always) nothing else is looked at.
  auto& st = self->state;
  if (!st.arrivals.in_transit(key, st.clock->now_ms()) || st.space().contains(key) || !st.routing)
    return {};
  return st.routing->previous_owner_of(slot_of(key));
}

/// Fetches `key` from `source` (see arriving_source), stores it, then runs `then`, so a moved
/// key is never read or updated as missing. When the fetch fails, `failed` gets the reason.
template <class Self, class Then, class Failed>
void fetch_then(Self self, const peer_connection_actor& source, const std::string& key,
                bool counter, Then then, Failed failed) {
  self->request(source, defaults::forward_timeout, fetch_atom_v, key, counter)
      .then(
          [self, then](replica_write& write) {
            // Absent there too: nothing to store, and nothing to remember (the slot's data may
            // still bring the key if that node was not the one holding it).
            auto& st = self->state;
            if (!write.erase && st.arrivals.accepts(write.record.key, st.clock->now_ms()))
              st.space().apply(write);
            then();
          },
          [self, key, failed](caf::error& err) {
            const auto reason = self->system().render(err);
            component_log("rebalance")->warn("reading {} from its previous owner failed: {}",
                                             key, reason);
            failed(reason);
          });
}

/// Remembers a local write of `key` for the arrival guard.
template <class State>
void note_local_write(State& st, std::string_view key) {
  st.arrivals.note_write(key, st.clock->now_ms());
}

/// Runs `run(cmd, deliver)` once `cmd`'s key is here (see arriving_source and fetch_then); a
/// write that replaces the key's state runs at once (it is newer than any copy in transit).
/// When the previous holder cannot be read, the command answers 503 and changes nothing: the
/// key may exist only there (a GET would say 404, an increment would restart at zero and the
/// arriving counter would then be refused).
template <class Self, class Deliver, class Run>
void run_when_arrived(Self self, bool counter, const command& cmd, Deliver deliver, Run run) {
  auto source = is_node_wide_op(cmd.kind) || is_blind_write(cmd.kind)
                    ? peer_connection_actor{}
                    : arriving_source(self, cmd.key);
  if (!source) {
    run(cmd, std::move(deliver));
    return;
  }
  fetch_then(
      self, source, cmd.key, counter, [run, cmd, deliver] { run(cmd, deliver); },
      [deliver](const std::string& reason) {
        deliver(failure(status::unavailable,
                        "this key's slot is still moving here and the node that held it could "
                        "not be read (" + reason + "); nothing was changed, retry"));
      });
}

/// Delivers the answer to `cmd`; when it changed what is stored, after replicating the key's
/// new state to its twins in `routing` (and remembering the write for the arrival guard).
template <class Self, class Deliver>
void deliver_after_replicas(Self self, const routing_table* routing, const command& cmd,
                            reply answer, Deliver deliver) {
  auto& st = self->state;
  if (answer.code != status::ok || !is_write_op(cmd.kind)) {
    deliver(std::move(answer));
    return;
  }
  note_local_write(st, cmd.key);
  replicate_then_deliver(self, routing, st.space(), {cmd.key}, std::move(answer),
                         std::move(deliver));
}

/// Applies a replica write from the slot's owner.
template <class Self>
auto slot_replicate_handler(Self self) {
  return [self](replicate_atom, replica_write& write) {
    self->state.space().apply(write);
    note_local_write(self->state, write.record.key);
    return true;
  };
}

}  // namespace ovo
