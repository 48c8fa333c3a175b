#pragma once
#include <memory>

#include "core/arrival_guard.hpp"
#include "core/clock.hpp"
#include "core/counter_space.hpp"
#include "actors/interfaces.hpp"
#include "actors/node_metrics.hpp"
#include "actors/routing_table.hpp"

namespace ovo {

struct counter_table_state {
  static inline const char* name = "counter_table";
  std::unique_ptr<counter_space> counters;
  std::shared_ptr<const clock_source> clock;
  std::shared_ptr<node_metrics> metrics;  ///< lagging replica writes are counted here
  arrival_guard arrivals;  ///< counters written here while their slot's data is on its way
  std::shared_ptr<const routing_holder> routing;  ///< where each slot's writes are replicated
  counter_space& space() { return *counters; }
};

/// Owns every counter of the node; increments are atomic because only this actor touches them.
/// `expiry_index` is this actor's target index at the expiry scheduler.
counter_table_actor::behavior_type counter_table(
    counter_table_actor::stateful_pointer<counter_table_state> self,
    std::shared_ptr<const clock_source> clock, expiry_scheduler_actor scheduler,
    uint32_t expiry_index, std::shared_ptr<const routing_holder> routing,
    std::shared_ptr<node_metrics> metrics);

}  // namespace ovo
