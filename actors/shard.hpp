#pragma once
#include <memory>

#include "core/arrival_guard.hpp"
#include "core/clock.hpp"
#include "actors/interfaces.hpp"
#include "actors/node_metrics.hpp"
#include "core/object_space.hpp"
#include "actors/routing_table.hpp"

namespace ovo {

struct shard_state {
  static inline const char* name = "shard";
  uint32_t index = 0;
  std::unique_ptr<object_space> objects;
  std::shared_ptr<const clock_source> clock;
  std::shared_ptr<node_metrics> metrics;  ///< lagging replica writes are counted here
  arrival_guard arrivals;  ///< keys written here while their slot's data is on its way
  std::vector<caf::actor_addr> peers;  ///< every shard of the node, by index (self included)
  std::shared_ptr<const routing_holder> routing;  ///< which node owns a moved key's new slot
  object_space& space() { return *objects; }
};

/// A shard: owns the objects of the slots s with shard_of_slot(s) == index. Stores each TTL
/// deadline with the expiry scheduler, and moves keys to other shards or nodes for updatekey.
shard_actor::behavior_type shard(shard_actor::stateful_pointer<shard_state> self, uint32_t index,
                                 std::shared_ptr<const clock_source> clock,
                                 expiry_scheduler_actor scheduler,
                                 std::shared_ptr<const routing_holder> routing,
                                 std::shared_ptr<node_metrics> metrics);

}  // namespace ovo
