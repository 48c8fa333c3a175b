#pragma once
#include "actors/interfaces.hpp"
#include "core/clock.hpp"
#include "core/expiry_queue.hpp"

#include <memory>

namespace ovo {

struct expiry_scheduler_state {
  static inline const char* name = "expiry_scheduler";
  expiry_queue queue;
  std::vector<expiry_target_actor> targets;  ///< index = target number in schedule messages
};

/// Keeps every deadline of the node in one heap; every `sweep_interval` it tells each owner which
/// of its keys are due (at most `batch` keys per tick, so a wave of expiries never stalls a shard).
expiry_scheduler_actor::behavior_type expiry_scheduler(
    expiry_scheduler_actor::stateful_pointer<expiry_scheduler_state> self,
    std::shared_ptr<const clock_source> clock, std::chrono::milliseconds sweep_interval,
    std::size_t batch);

}  // namespace ovo
