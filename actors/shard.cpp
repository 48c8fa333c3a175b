#include "actors/shard.hpp"

#include "actors/command_handlers.hpp"
#include "actors/memory_guard.hpp"
#include "actors/owner_check.hpp"
#include "actors/replication.hpp"
#include "actors/slot_handlers.hpp"
#include "actors/slot_verify.hpp"
#include "config/defaults.hpp"
#include "core/logging.hpp"
#include "core/scan_cursor.hpp"
#include "core/slot_layout.hpp"

#include <variant>

namespace ovo {
namespace {

using self_ptr = shard_actor::stateful_pointer<shard_state>;

/// Sends `record` to `target` (another shard, or the node owning the new key) and answers once
/// it is stored there. If that fails the object goes back under its old key.
template <class Target, class Deliver>
void hand_over(self_ptr self, routing_snapshot routing, const Target& target,
               std::chrono::milliseconds timeout, object_record record, std::string old_key,
               Deliver deliver) {
  self->request(target, timeout, adopt_atom_v, record)
      .then(
          [self, routing, old_key, deliver](bool) {
            // The receiver replicated the new key; the old one is gone from our replica too.
            replicate_then_deliver(self, routing.get(), *self->state.objects, {old_key}, done(),
                                   deliver);
          },
          [self, record, old_key, deliver](caf::error& err) {
            component_log("shard")->error("moving {} to {} failed ({}); restored it", old_key,
                                          record.key, self->system().render(err));
            self->state.objects->restore(record, old_key);
            deliver(failure(status::unavailable, "moving the key failed; nothing changed"));
          });
}

/// updatekey / updatekeyvalueifequal: take the object out here, store it under the new key
/// (here, in another shard, or on the node owning the new key), answer once it is stored.
template <class Deliver>
void move_key(self_ptr self, const routing_snapshot& routing, const command& cmd, Deliver deliver) {
  auto& st = self->state;
  auto taken = st.objects->take_for_move(cmd);
  if (auto* error = std::get_if<reply>(&taken)) {
    deliver(std::move(*error));
    return;
  }
  auto record = std::get<object_record>(std::move(taken));
  note_local_write(st, false, cmd.key);
  const int new_slot = slot_of(record.key);
  if (auto remote = remote_owner_in(routing.get(), new_slot)) {
    hand_over(self, routing, remote, defaults::forward_timeout, std::move(record), cmd.key,
              std::move(deliver));
    return;
  }
  const auto target_index = shard_of_slot(new_slot, st.peers.size());
  if (st.peers.empty() || target_index == st.index) {
    st.objects->adopt(record);
    note_local_write(st, false, record.key);
    replicate_then_deliver(self, routing.get(), *st.objects, {cmd.key, record.key}, done(),
                           std::move(deliver));
    return;
  }
  if (auto target = caf::actor_cast<shard_actor>(st.peers[target_index])) {
    hand_over(self, routing, target, defaults::local_move_timeout, std::move(record), cmd.key,
              std::move(deliver));
  } else {
    st.objects->restore(record, cmd.key);
    deliver(failure(status::unavailable, "the shard of the new key is gone"));
  }
}

/// One page of GET /ovo/scan on the slot's owner; 503 while the slot's data is still arriving
/// here (a page of a partial copy would skip keys for good: the cursor moves past them).
reply scan_slot(shard_state& st, const command& cmd) {
  const int slot = slot_of(cmd.key);
  if (st.object_arrivals.is_open(slot))
    return failure(status::unavailable,
                   "this slot's data is still arriving at its new owner; retry the same cursor");
  auto page = st.objects->scan(slot, cmd.new_key, static_cast<std::size_t>(cmd.value), cmd.data);
  reply answer;
  answer.kind = payload::scan;
  answer.key = next_scan_cursor(
      slot, page.keys.empty() ? cmd.new_key : std::string(page.keys.back()), page.more);
  answer.keys = std::move(page.keys);
  return answer;
}

/// Counts an object GET answered here as a cache hit or miss.
void count_read(node_metrics* metrics, const command& cmd, const reply& answer) {
  if (!metrics || cmd.kind != op::get) return;
  if (answer.code == status::ok)
    metrics->cache_hits.fetch_add(1, std::memory_order_relaxed);
  else if (answer.code == status::not_found)
    metrics->cache_misses.fetch_add(1, std::memory_order_relaxed);
}

/// Whether `cmd`'s key (or the key it moves to) is in a slot that `routing` leaves unplaced: this
/// node's own view names an owner the cluster no longer chose, and serving by it would make two
/// owners of the slot.
bool touches_unplaced_slot(const routing_table& routing, const command& cmd) {
  for (const auto* key : {&cmd.key, &cmd.new_key})
    if (!key->empty() && routing.unplaced[static_cast<std::size_t>(slot_of(*key))]) return true;
  return false;
}

template <class Deliver>
void run(self_ptr self, const routing_snapshot& routing, const command& cmd, Deliver deliver) {
  auto& objects = *self->state.objects;
  if (!routing && !is_node_wide_op(cmd.kind)) {
    // The cluster manager has not published its first table: this node does not know yet
    // whether it may serve the key, or that the key's data is still on its way (a node just
    // restarted started a counter at zero here in its first milliseconds).
    deliver(failure(status::unavailable,
                    "this node is starting and does not know yet who serves this key; nothing "
                    "was changed, retry"));
    return;
  }
  // Writes are stamped with the epoch of the layout they were checked against.
  if (routing) self->state.versions->serve_epoch(routing->epoch);
  if (routing && routing->witness && !is_node_wide_op(cmd.kind)) {
    deliver(failure(status::unavailable,
                    "this node is a witness and holds no data, and no data node serves this "
                    "key yet; nothing was changed, retry"));
    return;
  }
  if (routing && routing->joining && !is_node_wide_op(cmd.kind)) {
    deliver(failure(status::unavailable,
                    "this node is joining another cluster and serves nothing until it installed a "
                    "layout of that cluster; nothing was changed, retry"));
    return;
  }
  if (routing && routing->in_minority && (is_write_op(cmd.kind) || !routing->reads_in_minority)) {
    deliver(failure(status::unavailable,
                    "this node cannot reach a majority of the cluster's members (a network "
                    "partition?) and serves nothing until it does; nothing was changed, retry "
                    "through another node"));
    return;
  }
  if (routing && !is_node_wide_op(cmd.kind) && touches_unplaced_slot(*routing, cmd)) {
    deliver(failure(status::unavailable,
                    "this node installed a layout that places this key's slot on a node it has "
                    "not learned of yet; nothing was changed, retry"));
    return;
  }
  if (cmd.kind == op::scan) {
    deliver(scan_slot(self->state, cmd));
    return;
  }
  if (is_write_op(cmd.kind))
    for (const auto* key : {&cmd.key, &cmd.new_key})
      if (!key->empty()) {
        const int slot = slot_of(*key);
        if (self->state.fenced_until[static_cast<std::size_t>(slot)] >
                self->state.clock->now_ms() &&
            !remote_owner_in(routing.get(), slot)) {
          deliver(failure(status::unavailable,
                          "this key's slot is being handed to another node; nothing was "
                          "written, retry"));
          return;
        }
        if (auto refusal = too_few_copies(self->state, routing.get(), slot)) {
          deliver(std::move(*refusal));
          return;
        }
      }
  if (auto refusal = make_room(self, routing.get(), cmd)) {
    deliver(std::move(*refusal));
    return;
  }
  if (is_counter_op(cmd.kind)) {
    auto answer = self->state.counters->execute(cmd);
    if (cmd.kind == op::counter_add && answer.code == status::ok && answer.number == cmd.value)
      component_log("shard")->debug("counter {} (slot {}) started at 0 here", cmd.key,
                                    slot_of(cmd.key));
    deliver_after_replicas(self, routing.get(), cmd, std::move(answer), std::move(deliver));
    return;
  }
  switch (cmd.kind) {
    case op::update_key:
    case op::update_key_value_if_equal:
      move_key(self, routing, cmd, std::move(deliver));
      return;
    case op::count_keys: {
      reply count;
      count.kind = payload::number;
      count.number = static_cast<int64_t>(objects.size());
      deliver(std::move(count));
      return;
    }
    default: {
      auto answer = objects.execute(cmd);
      count_read(self->state.metrics.get(), cmd, answer);
      deliver_after_replicas(self, routing.get(), cmd, std::move(answer), std::move(deliver));
    }
  }
}

}  // namespace

shard_actor::behavior_type shard(self_ptr self, uint32_t index, uint16_t version_tag,
                                 std::shared_ptr<const clock_source> clock,
                                 std::chrono::milliseconds expiry_sweep,
                                 std::shared_ptr<const routing_holder> routing,
                                 std::shared_ptr<node_metrics> metrics, memory_limit limit) {
  self->state.index = index;
  self->state.limit = limit;
  self->state.metrics = std::move(metrics);
  self->state.routing = std::move(routing);
  self->state.clock = clock;
  // One clock for both namespaces: a shard stamps its writes in order.
  self->state.versions = std::make_shared<version_clock>(wall_clock_source(), version_tag);
  const auto retention = defaults::tombstone_retention.count();
  self->state.objects = std::make_unique<object_space>(clock, self->state.versions, retention);
  self->state.counters =
      std::make_unique<counter_space>(std::move(clock), self->state.versions, retention);
  self->delayed_send(self, expiry_sweep, expire_atom_v);
  self->set_exit_handler([self](caf::exit_msg& msg) {
    component_log("shard")->debug("shard {} stops with {} keys and {} counters", self->state.index,
                                  self->state.objects->size(), self->state.counters->size());
    self->quit(msg.reason);
  });
  auto runner = [self](const command& cmd, auto deliver) {
    auto run_here = [self](const command& arrived, auto reply_to) {
      run_as_owner(self, arrived, reply_to, [&](const routing_snapshot& routing, auto reply) {
        run(self, routing, arrived, std::move(reply));
      });
    };
    if (cmd.kind == op::scan)  // a slot-wide read: scan_slot decides about arrivals
      run_here(cmd, std::move(deliver));
    else
      run_when_arrived(self, cmd, std::move(deliver), run_here);
  };
  return {
      sink_handler(runner),
      response_handler(self, runner),
      [self](adopt_atom, object_record& record) -> caf::result<bool> {
        auto& st = self->state;
        const auto routing = st.routing ? st.routing->current() : nullptr;
        if (routing && (routing->in_minority || routing->witness))  // applies nothing
          return caf::make_error(caf::sec::request_receiver_down,
                                 "cannot take the key: this node serves nothing now");
        st.objects->adopt(record);
        note_local_write(st, false, record.key);
        auto promise = self->make_response_promise<bool>();
        replicate_then_deliver(self, routing.get(), *st.objects, {record.key}, done(),
                               [promise](reply) {
                                 auto response = promise;
                                 response.deliver(true);
                               });
        return promise;
      },
      slot_replicate_handler(self),
      [self, expiry_sweep](expire_atom) {
        auto& st = self->state;
        const auto objects = st.objects->expire_due(defaults::expiry_batch);
        const auto counters = st.counters->expire_due(defaults::expiry_batch - objects);
        if (st.metrics) st.metrics->expired_keys += objects + counters;
        if (objects + counters > 0)
          component_log("shard")->debug("shard {} expired {} objects and {} counters", st.index,
                                        objects, counters);
        // A full batch means more are due: go on right after the messages that came meanwhile.
        if (objects + counters == defaults::expiry_batch)
          self->send(self, expire_atom_v);
        else
          self->delayed_send(self, expiry_sweep, expire_atom_v);
      },
      [self](peers_atom, std::vector<caf::actor_addr>& peers) {
        self->state.peers = std::move(peers);
      },
      slot_sizes_handler(self),
      [self](holdings_atom) -> caf::result<uint64_t, uint64_t> {
        return {static_cast<uint64_t>(self->state.objects->size()),
                static_cast<uint64_t>(self->state.counters->size())};
      },
      [self](epochs_atom) {
        auto& st = self->state;
        st.objects->restart_epochs();
        st.counters->restart_epochs();
        st.versions->restart_epochs();
        return true;
      },
      [self](keys_atom, int slot, uint64_t inserts, uint64_t after)
          -> caf::result<std::string, std::vector<uint64_t>, uint64_t, uint64_t, bool, bool> {
        auto slice = self->state.objects->keys(slot, {inserts, static_cast<uintptr_t>(after)},
                                               defaults::listing_slice_keys);
        return {std::move(slice.keys.bytes),
                std::move(slice.keys.ends),
                slice.next.inserts,
                static_cast<uint64_t>(slice.next.after),
                slice.done,
                slice.whole};
      },
      slot_push_handler(self),
      slot_catch_up_handler(self),
      slot_lagging_handler(self),
      lag_report_handler(self),
      [self](lagging_atom, caf::strong_actor_ptr& listener) {
        self->state.lagging_listener = caf::actor_cast<caf::actor>(listener);
      },
      slot_drop_handler(self),
      slot_expect_handler(self),
      slot_migrate_handler(self),
      slot_fetch_handler(self),
      slot_digest_handler(self),
      slot_summary_handler(self),
      slot_verify_handler(self),
  };
}

}  // namespace ovo
