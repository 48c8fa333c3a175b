#pragma once
#include "actors/interfaces.hpp"
#include "config/defaults.hpp"
#include "core/heap_trim.hpp"

#include <chrono>
#include <vector>

namespace ovo {

struct heap_trimmer_state {
  static inline const char* name = "heap_trimmer";
  std::vector<slot_holder_actor> shards;
  trim_schedule schedule{defaults::heap_trim_after};
};

/// Every `interval`, adds up the shards' accounted bytes and, once they fell by
/// defaults::heap_trim_after from their high-water mark, gives the heap's free pages back
/// (core/heap_trim.hpp). Spawn it detached: a trim holds its thread for a few milliseconds.
heap_trimmer_actor::behavior_type heap_trimmer(
    heap_trimmer_actor::stateful_pointer<heap_trimmer_state> self,
    std::vector<slot_holder_actor> shards, std::chrono::milliseconds interval);

}  // namespace ovo
