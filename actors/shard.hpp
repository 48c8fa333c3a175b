#pragma once
#include "actors/interfaces.hpp"
#include "actors/node_metrics.hpp"
#include "actors/routing_table.hpp"
#include "core/arrival_guard.hpp"
#include "core/clock.hpp"
#include "core/counter_space.hpp"
#include "core/in_sync_set.hpp"
#include "core/memory_limit.hpp"
#include "core/object_space.hpp"

#include <memory>

namespace ovo {

struct shard_state {
  static inline const char* name = "shard";
  uint32_t index = 0;
  std::unique_ptr<object_space> objects;
  std::unique_ptr<counter_space> counters;
  /// Stamps both namespaces' writes; its epoch follows the routing tables commands run under.
  std::shared_ptr<version_clock> versions;
  std::shared_ptr<const clock_source> clock;
  std::shared_ptr<node_metrics> metrics;  ///< lagging replica writes are counted here
  /// This shard's share of Settings.MaxMemoryBytes (actors/memory_guard.hpp).
  memory_limit limit;
  /// Keys (and counters) written here while their slot's data is on its way.
  arrival_guard object_arrivals, counter_arrivals;
  std::vector<caf::actor_addr> peers;  ///< every shard of the node, by index (self included)
  std::shared_ptr<const routing_holder> routing;  ///< which node owns a moved key's new slot
  /// The replica holders of this shard's slots that missed a write (this node owns them).
  in_sync_set in_sync;
  /// The cluster manager: told of each holder leaving or rejoining `in_sync`, so the agreed
  /// layout lists the lagging ones (none: a shard on its own, as in unit tests).
  caf::actor lagging_listener;
  /// Per slot: until when writes are refused because another node took the slot over and read
  /// a key of it here before this node's view showed the change (slot_fetch_handler).
  std::array<int64_t, slot_count> fenced_until{};

  /// Runs `f(space, arrivals)` on the objects, or (counter) on the counters: the two
  /// namespaces share the shard's slots but never a key.
  template <class F>
  decltype(auto) in_namespace(bool counter, F&& f) {
    return counter ? f(*counters, counter_arrivals) : f(*objects, object_arrivals);
  }
};

/// A shard: owns the objects and the counters of the slots s with shard_of_slot(s) == index,
/// so counter throughput grows with the shards like object throughput. Drops the keys whose
/// TTL passed every `expiry_sweep`, a bounded batch per turn, and moves keys to other shards or
/// nodes for updatekey.
/// `version_tag` (version_tag_of the node's name) goes into every version this shard stamps;
/// `limit` is its share of the node's memory cap.
shard_actor::behavior_type shard(shard_actor::stateful_pointer<shard_state> self, uint32_t index,
                                 uint16_t version_tag, std::shared_ptr<const clock_source> clock,
                                 std::chrono::milliseconds expiry_sweep,
                                 std::shared_ptr<const routing_holder> routing,
                                 std::shared_ptr<node_metrics> metrics, memory_limit limit);

}  // namespace ovo
