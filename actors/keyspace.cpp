#include "actors/keyspace.hpp"

#include "actors/command_handlers.hpp"
#include "actors/fan_in.hpp"
#include "config/defaults.hpp"
#include "core/logging.hpp"
#include "core/packed_keys.hpp"
#include "core/slot_hash.hpp"
#include "core/slot_layout.hpp"
#include "core/thread_priority.hpp"

namespace ovo {
namespace {

using self_ptr = keyspace_actor::stateful_pointer<keyspace_state>;

/// Where a listing stands: the keys so far and the walk of the current slot.
struct listing_walk {
  packed_keys keys;
  std::size_t shard = 0;       ///< the shard being listed
  int slot = 0;                ///< its slot being walked
  std::size_t slot_start = 0;  ///< where that slot's keys begin in `keys`
  uint64_t inserts = 0;        ///< the walk (object_space::key_walk)
  uint64_t after = 0;
};

/// Lists the node's keys shard after shard, each slot by slot and a bounded slice of a slot at a
/// time: the commands queued at a shard wait for one slice at most, and only one shard has one
/// (docs/performance.md, "Listing keys"). The keys come in the order shard, slot, table.
template <class Deliver>
void collect_keys(self_ptr self, std::shared_ptr<listing_walk> walk, Deliver deliver) {
  const auto count = self->state.shards.size();
  for (; walk->shard < count; ++walk->shard, walk->slot = 0) {
    while (walk->slot < slot_count && shard_of_slot(walk->slot, count) != walk->shard) ++walk->slot;
    if (walk->slot < slot_count) break;
  }
  if (walk->shard == count) {
    reply list;
    list.kind = payload::keys;
    list.keys = std::move(walk->keys);
    deliver(std::move(list));
    return;
  }
  self->request(self->state.shards[walk->shard], defaults::node_query_timeout, keys_atom_v,
                walk->slot, walk->inserts, walk->after)
      .then(
          [self, walk, deliver](std::string& bytes, std::vector<uint64_t>& ends, uint64_t inserts,
                                uint64_t after, bool done, bool whole) {
            auto& keys = walk->keys;
            if (whole)  // the slot changed under its walk: this answer replaces its slices
              keys.truncate(walk->slot_start);
            keys.append(packed_keys{std::move(bytes), std::move(ends)});
            walk->inserts = inserts;
            walk->after = after;
            if (done) {
              walk->slot_start = keys.size();
              walk->inserts = 0;
              walk->after = 0;
              ++walk->slot;
            }
            collect_keys(self, walk, deliver);
          },
          [self, deliver](caf::error& err) {
            component_log("keyspace")
                ->warn("a shard did not answer a key query: {}", self->system().render(err));
            deliver(failure(status::unavailable, "a shard did not answer"));
          });
}

}  // namespace

keyspace_actor::behavior_type keyspace(self_ptr self, std::vector<shard_actor> shards) {
  // Spawned detached, this runs on the keyspace's own thread: gathering and encoding a listing
  // then only takes CPU the serving threads leave (docs/performance.md, "Listing keys").
  if (!run_calling_thread_last())
    component_log("keyspace")->info("SCHED_IDLE refused: listings run at nice 19 instead");
  self->state.shards = std::move(shards);
  auto runner = [self](const command& cmd, auto deliver) {
    if (cmd.kind != op::count_keys && cmd.kind != op::list_keys) {
      deliver(failure(status::bad_request, "not a node-wide key query"));
      return;
    }
    if (cmd.kind == op::list_keys) {
      collect_keys(self, std::make_shared<listing_walk>(), deliver);
      return;
    }
    const auto& shards = self->state.shards;
    // The shards' counts added up, or 503 when a shard did not answer.
    auto parts = fan_in<reply>::start(shards.size(), [deliver](fan_in_result<reply>& all) {
      if (!all.all_ok()) {
        component_log("keyspace")
            ->warn("a shard did not answer a key query: {}", all.first_failure);
        deliver(failure(status::unavailable, "a shard did not answer"));
        return;
      }
      reply total;
      total.kind = payload::number;
      for (const auto& part : all.values) total.number += part.number;
      deliver(std::move(total));
    });
    for (std::size_t i = 0; i < shards.size(); ++i)
      self->request(shards[i], defaults::node_query_timeout, exec_atom_v, cmd)
          .then(
              [parts, i](reply& part) { parts->value(i, std::move(part)); },
              [self, parts, i](caf::error& err) { parts->failure(i, self->system().render(err)); });
  };
  return {sink_handler(runner), response_handler(self, runner)};
}

}  // namespace ovo
