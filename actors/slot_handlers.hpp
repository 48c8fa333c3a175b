#pragma once
// The shard's slot_holder_actor handlers and the arrival logic around its commands. A shard
// holds two namespaces in its slots, objects and counters; `self->state.in_namespace(counter,
// f)` picks one (its space and its arrival guard).

#include "actors/interfaces.hpp"
#include "actors/replication.hpp"
#include "config/defaults.hpp"
#include "core/arrival_guard.hpp"
#include "core/chunks.hpp"
#include "core/logging.hpp"

namespace ovo {

/// Entries per slot (objects, counters), the replica holders out of sync, the slots arriving,
/// the accounted bytes stored (docs/memory.md).
template <class Self>
auto slot_sizes_handler(Self self) {
  return [self](sizes_atom) {
    auto& st = self->state;
    uint32_t arriving = 0;
    for (int slot = 0; slot < slot_count; ++slot)
      if (st.object_arrivals.is_open(slot) || st.counter_arrivals.is_open(slot)) ++arriving;
    return std::make_tuple(st.objects->slot_sizes(), st.counters->slot_sizes(),
                           static_cast<uint64_t>(st.in_sync.out_count()), arriving,
                           static_cast<uint64_t>(st.objects->bytes() + st.counters->bytes()));
  };
}

/// One namespace of a slot on its way to a peer, chunk by chunk.
struct namespace_push {
  int slot;
  bool counters;
  bool complete;  ///< the sender has the slot's full data (see push_slot)
  /// This node holds the slot and no arrival of it was open here when it was dumped: nothing
  /// acknowledged is missing from it, so a receiver that distrusts its own copy may drop what
  /// this one lacks.
  bool settled;
  std::vector<replica_write> entries;  ///< dumped when the push started
  std::vector<std::size_t> ends;       ///< chunk_ends of entries
  std::size_t next = 0;                ///< the chunk to send
};

/// Sends chunk `push->next` and, once the receiver stored it, the next one (the last says the
/// slot is complete if the push is); then calls `done(entries sent, error)`.
template <class Self, class Done>
void send_chunk(Self self, const peer_connection_actor& peer, std::shared_ptr<namespace_push> push,
                Done done) {
  const auto begin = push->next == 0 ? 0 : push->ends[push->next - 1];
  const auto end = push->ends[push->next];
  const bool last = push->next + 1 == push->ends.size();
  uint64_t bytes = 0;
  for (auto i = begin; i < end; ++i) bytes += wire_size(push->entries[i]);
  std::vector<replica_write> chunk(std::make_move_iterator(push->entries.begin() + begin),
                                   std::make_move_iterator(push->entries.begin() + end));
  self->request(peer, defaults::migrate_timeout, migrate_atom_v, push->slot, push->counters,
                last && push->complete, last && push->complete && push->settled, std::move(chunk))
      .then(
          [self, peer, push, done, last, bytes](bool) mutable {
            if (self->state.metrics) self->state.metrics->slot_bytes_sent += bytes;
            component_log("rebalance")
                ->debug("slot {}: {} chunk {}/{} stored ({} of {} entries)", push->slot,
                        push->counters ? "counter" : "object", push->next + 1, push->ends.size(),
                        push->ends[push->next], push->entries.size());
            if (last) {
              done(static_cast<uint64_t>(push->entries.size()), caf::error{});
              return;
            }
            ++push->next;
            send_chunk(self, peer, std::move(push), std::move(done));
          },
          [done](caf::error& err) mutable { done(0, std::move(err)); });
}

/// Sends one namespace of `slot`, dumped at the start, to `peer` chunk by chunk, one in flight
/// at a time, then calls `done(entries sent, error)`.
template <class Self, class Done>
void push_namespace(Self self, int slot, bool counters, bool complete, bool settled,
                    const peer_connection_actor& peer, Done done) {
  auto push = std::make_shared<namespace_push>();
  push->slot = slot;
  push->counters = counters;
  push->complete = complete;
  push->entries = self->state.in_namespace(
      counters, [slot, settled, &push](auto& space, arrival_guard& arrivals) {
        push->settled = settled && !arrivals.is_open(slot);
        return space.dump(slot);
      });
  push->ends = chunk_ends(push->entries, defaults::chunk_entries, defaults::chunk_bytes);
  send_chunk(self, peer, std::move(push), std::move(done));
}

/// Sends this shard's entries of `slot`, objects then counters, to `peer` in chunks and calls
/// `done(entries sent, error)` once the receiver stored them all or a chunk failed. Sent from
/// here, so replica writes made meanwhile reach the receiver too; it keeps the newer version.
/// `complete`: this node has everything acknowledged in the slot (it served the slot, or was
/// asked for it), so the push ends the receiver's arrival; a node that merely has some of the
/// slot's data sends it without ending anything. `settled`: this node holds the slot and none
/// of it is still arriving here (namespace_push::settled).
template <class Self, class Done>
void push_slot(Self self, int slot, bool complete, bool settled, const peer_connection_actor& peer,
               Done done) {
  push_namespace(
      self, slot, false, complete, settled, peer,
      [self, slot, complete, settled, peer, done](uint64_t objects, caf::error err) mutable {
        if (err) {
          done(0, std::move(err));
          return;
        }
        push_namespace(self, slot, true, complete, settled, peer,
                       [objects, done](uint64_t counters, caf::error e) mutable {
                         done(objects + counters, std::move(e));
                       });
      });
}

/// (push, slot, target, complete, settled): push_slot to a peer connection, answering the
/// entries sent.
template <class Self>
auto slot_push_handler(Self self) {
  return [self](push_atom, int slot, caf::strong_actor_ptr& target, bool complete,
                bool settled) -> caf::result<uint64_t> {
    auto peer = caf::actor_cast<peer_connection_actor>(target);
    if (!peer) return caf::make_error(caf::sec::invalid_argument, "no connection to push to");
    auto promise = self->template make_response_promise<uint64_t>();
    push_slot(self, slot, complete, settled, peer,
              [promise](uint64_t sent, caf::error err) mutable {
                if (err)
                  promise.deliver(std::move(err));
                else
                  promise.deliver(sent);
              });
    return promise;
  };
}

/// `holder` of `slot` is out of this shard's in-sync set no more (caught up, or no longer its
/// business): deletes are kept only while another holder lags, and a departure reported
/// lagging (`reported`, numbered `departure`) is reported over.
template <class State>
void counted_again(State& st, int slot, const std::string& holder, uint64_t departure,
                   bool reported) {
  keep_deletes_while_behind(st, slot);
  if (reported) report_lagging(st, slot, holder, false, departure);
}

/// (catch_up, slot, holder): brings a replica holder that left the slot's in-sync set up to
/// date with a slot push, then counts it as a copy again; retries every second while it is
/// still a holder of the slot and cannot be reached, or while this copy is still arriving.
template <class Self>
auto slot_catch_up_handler(Self self) {
  return [self](catch_up_atom, int slot, std::string& holder) {
    auto& st = self->state;
    if (st.in_sync.in_sync(slot, holder)) return;
    auto retry = [self, slot, holder] {
      self->delayed_send(self, std::chrono::seconds(1), catch_up_atom_v, slot, holder);
    };
    const auto table = st.routing ? st.routing->current() : nullptr;
    // A copy still arriving here (a restart: the agreed layout's lagging holders were adopted)
    // is no reference to catch anyone up with: the push waits for it.
    if (!table || st.object_arrivals.is_open(slot) || st.counter_arrivals.is_open(slot)) {
      retry();
      return;
    }
    const auto departure = st.in_sync.departure(slot, holder);
    const auto misses = st.in_sync.misses(slot, holder);
    const bool reported = st.in_sync.reported(slot, holder);
    const auto index = static_cast<std::size_t>(slot);
    peer_connection_actor peer;
    for (std::size_t i = 0; i < table->replica_names[index].size(); ++i)
      if (table->replica_names[index][i] == holder) peer = table->replicas[index][i];
    // No longer this node's slot (its owner catches its holders up), or no longer a holder of
    // it (the layout's passes give the new ones their data).
    if (remote_owner_in(table.get(), slot) || !peer) {
      st.in_sync.rejoin(slot, holder, misses);
      counted_again(st, slot, holder, departure, reported);
      return;
    }
    push_slot(self, slot, true, true, peer,
              [self, slot, holder, departure, misses, retry](uint64_t sent, caf::error err) {
                if (err) {
                  retry();
                  return;
                }
                auto& st = self->state;
                const bool reported = st.in_sync.reported(slot, holder);
                if (!st.in_sync.rejoin(slot, holder, misses)) {
                  if (st.in_sync.departure(slot, holder) != departure) return;
                  component_log("replication")
                      ->info(
                          "{} failed a write to slot {} after the catch-up push read the "
                          "slot; pushing again",
                          holder, slot);
                  retry();
                  return;
                }
                counted_again(st, slot, holder, departure, reported);
                component_log("replication")
                    ->info("{} caught up on slot {} ({} entries) and is in sync again", holder,
                           slot, sent);
              });
  };
}

/// (lagging, slot, holder): this node now owns `slot`, and the agreed layout lists `holder` as
/// lagging on it (it missed writes the previous owner acknowledged without it): it counts as a
/// copy again only once this shard caught it up.
template <class Self>
auto slot_lagging_handler(Self self) {
  return [self](lagging_atom, int slot, std::string& holder) {
    if (slot >= 0 && slot < slot_count)
      take_out_of_sync(self, slot, holder, "the agreed layout lists it lagging");
  };
}

/// (lagging, slot, holder, departure): lag_report_delay after `holder` left the in-sync set of
/// `slot`: still out since that departure, it is reported to the cluster manager, to be listed
/// as lagging in the agreed layout.
template <class Self>
auto lag_report_handler(Self self) {
  return [self](lagging_atom, int slot, std::string& holder, uint64_t departure) {
    auto& st = self->state;
    if (st.in_sync.departure(slot, holder) == departure && st.in_sync.mark_reported(slot, holder))
      report_lagging(st, slot, holder, true, departure);
  };
}

/// Installs an arriving copy of a key (`read_through`: read from the node that served its slot,
/// else a chunk of the slot's data) as the slot's arrival window says (arrival_guard::admit);
/// false when a local write made during the window keeps it out.
template <class Space>
bool admit_copy(Space& space, arrival_guard& arrivals, const replica_write& write,
                bool read_through) {
  const auto admission = arrivals.admit(write.record.key, read_through);
  if (admission == arrival_guard::admission::refused) return false;
  space.apply(write, admission == arrival_guard::admission::replaces);
  return true;
}

template <class Self>
auto slot_drop_handler(Self self) {
  return [self](drop_atom, int slot) {
    uint64_t dropped = 0;
    for (const bool counters : {false, true})
      self->state.in_namespace(counters, [&](auto& space, arrival_guard& arrivals) {
        arrivals.close(slot);  // a later copy of the slot must be taken in full
        dropped += space.drop(slot);
      });
    return dropped;
  };
}

template <class Self>
auto slot_expect_handler(Self self) {
  return [self](expect_atom, std::vector<int>& slots, bool distrust_local) {
    auto& st = self->state;
    for (int slot : slots)
      if (slot >= 0 && slot < slot_count) {
        // The slot was given back: a window still open from when this node held it before, or
        // entries kept since, date from then; the node that served it since may have built on
        // them (a slot taken away and given back within one arrival lost a counter's
        // increments acknowledged meanwhile, partition test with links healing 4 s apart).
        for (const bool counters : {false, true})
          st.in_namespace(counters, [&](auto& space, arrival_guard& arrivals) {
            if (!distrust_local && (arrivals.is_open(slot) || space.slot_size(slot) > 0))
              arrivals.expect_again(slot);
            else
              arrivals.expect(slot, distrust_local);
          });
        // What is here is no reference to catch anyone up with: no catch-up push of this copy,
        // and every holder counts as a copy again. The cluster manager is not told, so the
        // agreed layout keeps listing the ones it listed: conservative, as they may lack what
        // others acknowledged while this node was away.
        if (distrust_local && !st.in_sync.complete(slot)) {
          st.in_sync.reset(slot);
          keep_deletes_while_behind(st, slot);
        }
      }
  };
}

/// Stores one arriving chunk of one namespace, except entries written here since the slot's
/// data was announced. `last`: the namespace of the slot has arrived (the cluster manager says
/// so once every source it waits for has sent its last chunk; slot_arrivals.hpp). `settled`:
/// that last chunk came from a whole copy, so where this shard distrusted its own copy, what
/// nothing confirmed since is dropped (arrival_guard::confirmed).
template <class Self>
auto slot_migrate_handler(Self self) {
  return [self](migrate_atom, int slot, bool counters, bool last, bool settled,
                std::vector<replica_write>& writes) {
    std::size_t kept_local = 0;
    self->state.in_namespace(counters, [&](auto& space, arrival_guard& arrivals) {
      for (const auto& write : writes)
        if (!admit_copy(space, arrivals, write, false)) ++kept_local;
      if (last && slot >= 0 && slot < slot_count && arrivals.is_open(slot)) {
        const bool distrusted = arrivals.distrusted(slot);
        if (settled && distrusted)
          if (const auto gone = space.drop_unconfirmed(
                  slot, [&](std::string_view key) { return arrivals.confirmed(key); }))
            component_log("rebalance")
                ->info(
                    "slot {}: dropped {} {} held here that the node which served the slot "
                    "no longer has (deleted there while this node was away)",
                    slot, gone, counters ? "counters" : "objects");
        arrivals.close(slot);
        component_log("rebalance")
            ->debug("slot {}: {} window closed by a last chunk ({}, {})", slot,
                    counters ? "counter" : "object",
                    distrusted ? "copies here distrusted" : "copies here trusted",
                    settled ? "from a whole copy" : "not known whole");
      }
    });
    if (kept_local > 0)
      component_log("rebalance")
          ->debug("slot {}: {} of {} arriving {} kept the copy written here", slot, kept_local,
                  writes.size(), counters ? "counters" : "objects");
    return true;
  };
}

/// The current state of one key or counter, for a node that took its slot over. If this node
/// still owns the slot in its own view (it has not heard of the change yet), it stops taking
/// writes for the slot (see shard_state::fenced_until): from now on the other node serves the
/// key from the state given here, and a write applied here too would be lost.
template <class Self>
auto slot_fetch_handler(Self self) {
  return [self](fetch_atom, const std::string& key, bool counter) {
    auto& st = self->state;
    const int slot = slot_of(key);
    const auto table = st.routing ? st.routing->current() : nullptr;
    if (!remote_owner_in(table.get(), slot))
      st.fenced_until[static_cast<std::size_t>(slot)] =
          st.clock->now_ms() + defaults::handover_fence.count();
    return st.in_namespace(counter,
                           [&](auto& space, arrival_guard&) { return space.snapshot(key); });
  };
}

/// Where a key's state is before this node serves it.
struct key_source {
  /// Nothing to wait for: the key's state is here (the usual case).
  bool here = true;
  /// Otherwise the node to read it from: the slot's previous holder, while the slot's data is
  /// still arriving and the key was neither written nor received here. Invalid when that
  /// holder is not known yet (a node that just started has reached no peer): the key may exist
  /// on any of them, so the command must not run on this node's empty table.
  peer_connection_actor previous_holder;
};

template <class Self>
key_source arriving_source(Self self, bool counter, const std::string& key) {
  auto& st = self->state;
  // Cheapest test first: outside an arrival window (nearly always) nothing else is looked at.
  const bool missing = st.in_namespace(counter, [&](auto& space, arrival_guard& arrivals) {
    return arrivals.in_transit(key, space.contains(key));
  });
  if (!missing) return {};
  return {false,
          st.routing ? st.routing->previous_owner_of(slot_of(key)) : peer_connection_actor{}};
}

/// Fetches `key` from `source` (see arriving_source), stores it, then runs `then`, so a moved
/// key is never read or updated as missing. When the fetch fails, `failed` gets the reason.
template <class Self, class Then, class Failed>
void fetch_then(Self self, const peer_connection_actor& source, const std::string& key,
                bool counter, Then then, Failed failed) {
  self->request(source, defaults::forward_timeout, fetch_atom_v, key, counter)
      .then(
          [self, key, counter, then](replica_write& write) {
            // Never known there: nothing to store, and nothing to remember (the slot's data may
            // still bring the key if that node was not the one holding it). A delete known
            // there is stored like a value (newer wins), so a stale copy here goes too.
            component_log("rebalance")
                ->debug("slot {}: read {} from its previous holder (version {}.{})", slot_of(key),
                        key, write.version.epoch, write.version.clock);
            self->state.in_namespace(counter, [&](auto& space, arrival_guard& arrivals) {
              if (write.version.stamped()) admit_copy(space, arrivals, write, true);
            });
            then();
          },
          [self, key, failed](caf::error& err) {
            // Debug, like the 503 it becomes: while a node starts or a slot moves this fails
            // once per request, hundreds of times a second.
            const auto reason = self->system().render(err);
            component_log("rebalance")
                ->debug("reading {} from its previous owner failed: {}", key, reason);
            failed(reason);
          });
}

/// Remembers a local write of `key` (an object, or a counter) for the arrival guard.
template <class State>
void note_local_write(State& st, bool counter, std::string_view key) {
  (counter ? st.counter_arrivals : st.object_arrivals).note_write(key);
}

/// Runs `run(cmd, deliver)` once `cmd`'s key is here (see arriving_source and fetch_then).
/// A write that replaces the key's state reads it first too: the read fences the previous
/// holder, which may still be acknowledging writes of its own to the key (it has not seen the
/// new layout yet; kill loop: a PUT acknowledged there lost to an older one made here), and
/// the new version then follows the one read. When the previous holder is unknown or cannot
/// be read, a replacing write runs anyway (a holder nobody reaches acknowledges nothing: it is
/// dead, frozen, or in a minority, which stops acknowledging), and any other command answers
/// 503 and changes nothing: the key may exist only there (a GET would say 404, an increment
/// would restart at zero and the arriving counter would then be refused).
template <class Self, class Deliver, class Run>
void run_when_arrived(Self self, const command& cmd, Deliver deliver, Run run) {
  const bool counter = is_counter_op(cmd.kind);
  const auto source =
      is_node_wide_op(cmd.kind) ? key_source{} : arriving_source(self, counter, cmd.key);
  if (source.here) {
    run(cmd, std::move(deliver));
    return;
  }
  if (!source.previous_holder) {
    if (is_blind_write(cmd.kind)) {
      run(cmd, std::move(deliver));
      return;
    }
    deliver(failure(status::unavailable,
                    "this node has not yet learned where the data of this key's slot is (it "
                    "has just started and reached no peer yet); nothing was changed, retry"));
    return;
  }
  // The fetch also fences the previous holder, which may not know yet that the slot moved and
  // would take writes of its own (slot_fetch_handler).
  fetch_then(
      self, source.previous_holder, cmd.key, counter, [run, cmd, deliver] { run(cmd, deliver); },
      [run, cmd, deliver](const std::string& reason) {
        if (is_blind_write(cmd.kind)) {
          run(cmd, deliver);
          return;
        }
        deliver(failure(status::unavailable,
                        "this key's slot is still moving here and the node that held it could "
                        "not be read (" +
                            reason + "); nothing was changed, retry"));
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
  const bool counter = is_counter_op(cmd.kind);
  note_local_write(st, counter, cmd.key);
  st.in_namespace(counter, [&](auto& space, arrival_guard&) {
    replicate_then_deliver(self, routing, space, {cmd.key}, std::move(answer), std::move(deliver));
  });
}

/// Applies a replica write (object or counter) from the slot's owner.
template <class Self>
auto slot_replicate_handler(Self self) {
  return [self](replicate_atom, replica_write& write) {
    self->state.in_namespace(write.counter,
                             [&](auto& space, arrival_guard&) { space.apply(write); });
    note_local_write(self->state, write.counter, write.record.key);
    return true;
  };
}

}  // namespace ovo
