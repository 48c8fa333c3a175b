#pragma once
// The owner's side of replication: after a write, send the new state of each touched key to the
// holders of its slot's replicas, and answer the client once the in-sync ones confirmed it
// (docs/cluster.md, "In-sync copies").

#include "actors/fan_in.hpp"
#include "actors/interfaces.hpp"
#include "actors/routing_table.hpp"
#include "config/defaults.hpp"
#include "core/logging.hpp"

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace ovo {

/// The refusal of a write to `slot` when fewer copies are in sync than a write needs (checked
/// before anything is applied), or nothing. Only this node's slots are checked: another owner
/// checks its own (a key moved there).
template <class State>
std::optional<reply> too_few_copies(const State& st, const routing_table* routing, int slot) {
  if (!routing || routing->copies_needed <= 1 || remote_owner_in(routing, slot))
    return std::nullopt;
  const auto& names = routing->replica_names[static_cast<std::size_t>(slot)];
  const int copies = st.in_sync.copies(slot, names);
  if (copies < routing->copies_needed)
    return failure(status::unavailable,
                   "only " + std::to_string(copies) + " of the " +
                       std::to_string(routing->copies_needed) +
                       " copies this write needs are in sync (a replica holder is catching up); "
                       "nothing was written, retry");
  // A holder that missed writes may be the copy the majority serves from if this node is the
  // one cut off: a write acknowledged without it would then be lost (docs/cluster.md,
  // "Partitions"). Not once a majority reports it down, nor once the agreed layout lists it
  // lagging: no failover promotes it then.
  if (routing->lagging_holders_block)
    for (const auto& name : names) {
      const auto& down = routing->down_by_majority;
      const auto& agreed = routing->agreed_lagging[static_cast<std::size_t>(slot)];
      const auto departure = st.in_sync.departure(slot, name);
      if (departure != 0 && std::find(down.begin(), down.end(), name) == down.end() &&
          std::find(agreed.begin(), agreed.end(), std::make_pair(name, departure)) == agreed.end())
        return failure(status::unavailable,
                       "replica holder " + name +
                           " missed writes and is neither reported down by a majority nor "
                           "agreed lagging yet (this node may be cut off from it); nothing "
                           "was written, retry");
    }
  return std::nullopt;
}

/// Whether a holder in `failed` (it did not confirm a write) is not reported down by a majority,
/// under the majority rule: the write cannot count as kept without it.
template <class State>
bool missing_copy_may_serve(const State& st, const std::vector<std::string>& failed) {
  if (failed.empty() || !st.routing) return false;
  const auto table = st.routing->current();
  if (!table || !table->lagging_holders_block) return false;
  const auto& down = table->down_by_majority;
  return std::any_of(failed.begin(), failed.end(), [&](const std::string& name) {
    return std::find(down.begin(), down.end(), name) == down.end();
  });
}

/// Keeps the deletes of `slot` while one of its replica holders is out of sync: its catch-up push
/// must carry them, however long it takes (tombstones.hpp).
template <class State>
void keep_deletes_while_behind(State& st, int slot) {
  const bool behind = !st.in_sync.complete(slot);
  st.objects->keep_deletes(slot, behind);
  st.counters->keep_deletes(slot, behind);
}

/// Tells the cluster manager that `holder` fell out of sync on `slot` (`lagging`) or caught up,
/// so that the agreed layout lists it while it lags (docs/cluster.md, "Lagging holders are
/// agreed").
/// `departure`: the holder's departure from the in-sync set this is about.
template <class State>
void report_lagging(const State& st, int slot, const std::string& holder, bool lagging,
                    uint64_t departure) {
  if (st.lagging_listener)
    caf::anon_send(st.lagging_listener, lagging_atom_v, slot, holder, lagging, departure);
}

/// `holder` no longer counts as a copy of `slot` until the shard caught it up (catch_up_atom,
/// handled by the shard).
template <class Self>
void take_out_of_sync(Self self, int slot, const std::string& holder, const std::string& why) {
  const auto departure = self->state.in_sync.leave(slot, holder);
  if (departure == 0) return;
  keep_deletes_while_behind(self->state, slot);
  // Reported only if it is still out then (lag_report_handler).
  self->delayed_send(self, defaults::lag_report_delay, lagging_atom_v, slot, holder, departure);
  component_log("replication")
      ->warn("{} left the in-sync set of slot {} ({}); catching it up with a slot push", holder,
             slot, why);
  self->send(self, catch_up_atom_v, slot, holder);
}

/// `holder` missed a write to `slot`.
template <class Self>
void leave_in_sync_set(Self self, int slot, const std::string& holder, const std::string& why) {
  if (self->state.metrics) ++self->state.metrics->lagging_writes;
  take_out_of_sync(self, slot, holder, why);
}

/// Replicates the current state of `keys` (read from `space`, an object_space or counter_space)
/// to each key's replica holders in `routing` (the table the write was checked against, so the
/// write reaches exactly the holders of one layout; null: none), then delivers `answer` once
/// every holder that was in sync confirmed. A holder that fails or does not confirm within
/// ReplicaTimeoutMs leaves the slot's in-sync set; if that leaves fewer confirmed copies than
/// the write needs, the answer is 503/"18": applied here, maybe not kept. A key whose slot has
/// no replica costs no snapshot, so a lone node copies nothing. With asynchronous replication
/// the answer goes first and the holders follow.
template <class Self, class Space, class Deliver>
void replicate_then_deliver(Self self, const routing_table* routing, Space& space,
                            std::initializer_list<std::string_view> keys, reply answer,
                            Deliver deliver) {
  struct send {
    peer_connection_actor holder;
    std::string name;
    int slot;
    bool counts;  ///< in sync when sent: its confirmation counts as a copy
    replica_write write;
  };
  std::vector<send> sends;
  if (routing)
    for (auto key : keys) {
      const int slot = slot_of(key);
      const auto index = static_cast<std::size_t>(slot);
      for (std::size_t i = 0; i < routing->replicas[index].size(); ++i) {
        const auto& name = routing->replica_names[index][i];
        sends.push_back({routing->replicas[index][i], name, slot,
                         self->state.in_sync.in_sync(slot, name), space.snapshot(key)});
      }
    }
  if (sends.empty()) {  // a lone node, or Replication "off": nothing to wait for
    deliver(std::move(answer));
    return;
  }
  const int needed = std::max(0, routing->copies_needed - 1) * static_cast<int>(keys.size());
  const auto waited = static_cast<std::size_t>(
      std::count_if(sends.begin(), sends.end(), [](const send& s) { return s.counts; }));
  // The in-sync holders' confirmations, counted once the last of them reported; none when the
  // answer goes first (Replication "async", or every holder already out of sync). A holder
  // that failed counts against the write unless a majority reports it down: the majority may
  // serve the slot from that very copy if this node is the one cut off (docs/cluster.md,
  // "Lagging holders block").
  std::shared_ptr<fan_in<bool>> confirmations;
  auto failed = std::make_shared<std::vector<std::string>>();
  if (waited == 0 || routing->answer_before_replicas)
    deliver(std::move(answer));
  else
    confirmations = fan_in<bool>::start(waited, [self, answer = std::move(answer), deliver, needed,
                                                 failed](fan_in_result<bool>& all) mutable {
      const auto confirmed = std::count(all.values.begin(), all.values.end(), true);
      // MinCopies 1 asks for no copy beyond the owner's: a missing one changes nothing.
      if (confirmed < needed || (needed > 0 && missing_copy_may_serve(self->state, *failed)))
        deliver(failure(status::outcome_unknown,
                        "the write was applied on the slot's owner but too few replica "
                        "holders confirmed it in time; it may or may not be kept"));
      else
        deliver(std::move(answer));
    });
  std::size_t index = 0;
  for (auto& s : sends) {
    // No timeout here: the peer connection answers every write at the latest one overdue check
    // after ReplicaTimeoutMs (at once when the holder goes away), and a timeout per write would
    // cost the clock thread a wake-up per write.
    auto request = self->request(s.holder, caf::infinite, replicate_atom_v, std::move(s.write));
    if (!s.counts) {
      // Out of sync already: it still gets the write (it will need it), nobody waits for it,
      // and its catch-up push makes it a copy again, unless the push's dump predates a write
      // it failed.
      std::move(request).then([](bool) {},
                              [self, slot = s.slot, name = s.name](caf::error& err) {
                                // Caught up since it was sent: out again, this write missing.
                                if (self->state.in_sync.in_sync(slot, name))
                                  leave_in_sync_set(self, slot, name, self->system().render(err));
                                else
                                  self->state.in_sync.missed(slot, name);
                              });
      continue;
    }
    const auto i = index++;
    std::move(request).then(
        [confirmations, i](bool) {
          if (confirmations) confirmations->value(i, true);
        },
        [self, confirmations, failed, i, slot = s.slot, name = s.name](caf::error& err) {
          const auto why = self->system().render(err);
          failed->push_back(name);
          leave_in_sync_set(self, slot, name, why);
          if (confirmations) confirmations->failure(i, why);
        });
  }
}

}  // namespace ovo
