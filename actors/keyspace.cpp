#include "actors/keyspace.hpp"

#include "actors/command_handlers.hpp"
#include "actors/fan_in.hpp"
#include "config/defaults.hpp"
#include "core/logging.hpp"
#include "core/slot_hash.hpp"
#include "core/slot_layout.hpp"
#include "core/thread_priority.hpp"

namespace ovo {
namespace {

using self_ptr = keyspace_actor::stateful_pointer<keyspace_state>;

/// Where a shard's part of a listing stands: the keys so far and the walk of the current slot.
struct shard_listing {
  std::vector<std::string> keys;
  std::size_t slot_start = 0;  ///< where the current slot's keys begin in `keys`
  uint64_t inserts = 0;        ///< the walk (object_space::key_walk)
  uint64_t after = 0;
};

/// The keys of one shard, asked slot by slot from `slot` on and a bounded slice of a slot at a
/// time, so the other commands in its mailbox wait for one slice, not a slot or its whole table.
void collect_keys(self_ptr self, std::size_t shard, int slot,
                  std::shared_ptr<shard_listing> listing, std::shared_ptr<fan_in<reply>> parts) {
  const auto count = self->state.shards.size();
  while (slot < slot_count && shard_of_slot(slot, count) != shard) ++slot;
  if (slot == slot_count) {
    reply list;
    list.kind = payload::keys;
    list.keys = std::move(listing->keys);
    parts->value(shard, std::move(list));
    return;
  }
  self->request(self->state.shards[shard], defaults::node_query_timeout, keys_atom_v, slot,
                listing->inserts, listing->after)
      .then(
          [self, shard, slot, listing, parts](std::vector<std::string>& part, uint64_t inserts,
                                              uint64_t after, bool done, bool whole) {
            auto& keys = listing->keys;
            if (whole)  // the slot changed under its walk: this answer replaces its slices
              keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(listing->slot_start),
                         keys.end());
            keys.insert(keys.end(), std::make_move_iterator(part.begin()),
                        std::make_move_iterator(part.end()));
            listing->inserts = inserts;
            listing->after = after;
            if (!done) {
              collect_keys(self, shard, slot, listing, parts);
              return;
            }
            listing->slot_start = keys.size();
            listing->inserts = 0;
            listing->after = 0;
            collect_keys(self, shard, slot + 1, listing, parts);
          },
          [self, parts, shard](caf::error& err) {
            parts->failure(shard, self->system().render(err));
          });
}

}  // namespace

keyspace_actor::behavior_type keyspace(self_ptr self, std::vector<shard_actor> shards) {
  // Spawned detached, this runs on the keyspace's own thread: merging and encoding a listing
  // then only takes CPU the serving threads leave (docs/performance.md, "Listing keys").
  if (!run_calling_thread_last())
    component_log("keyspace")->info("SCHED_IDLE refused: listings run at nice 19 instead");
  self->state.shards = std::move(shards);
  auto runner = [self](const command& cmd, auto deliver) {
    if (cmd.kind != op::count_keys && cmd.kind != op::list_keys) {
      deliver(failure(status::bad_request, "not a node-wide key query"));
      return;
    }
    const auto& shards = self->state.shards;
    const auto kind = cmd.kind == op::count_keys ? payload::number : payload::keys;
    // The shards' answers merged into one, or 503 when a shard did not answer.
    auto parts = fan_in<reply>::start(shards.size(), [kind, deliver](fan_in_result<reply>& all) {
      if (!all.all_ok()) {
        component_log("keyspace")
            ->warn("a shard did not answer a key query: {}", all.first_failure);
        deliver(failure(status::unavailable, "a shard did not answer"));
        return;
      }
      reply merged;
      merged.kind = kind;
      for (auto& part : all.values) {
        merged.number += part.number;
        merged.keys.insert(merged.keys.end(), std::make_move_iterator(part.keys.begin()),
                           std::make_move_iterator(part.keys.end()));
      }
      deliver(std::move(merged));
    });
    for (std::size_t i = 0; i < shards.size(); ++i) {
      if (cmd.kind == op::list_keys) {
        collect_keys(self, i, 0, std::make_shared<shard_listing>(), parts);
        continue;
      }
      self->request(shards[i], defaults::node_query_timeout, exec_atom_v, cmd)
          .then(
              [parts, i](reply& part) { parts->value(i, std::move(part)); },
              [self, parts, i](caf::error& err) { parts->failure(i, self->system().render(err)); });
    }
  };
  return {sink_handler(runner), response_handler(self, runner)};
}

}  // namespace ovo
