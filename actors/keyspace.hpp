#pragma once
#include "actors/interfaces.hpp"

namespace ovo {

struct keyspace_state {
  static inline const char* name = "keyspace";
  std::vector<shard_actor> shards;
};

/// Answers count_keys and list_keys for the whole node: counts from every shard at once, a
/// listing from one shard after another.
keyspace_actor::behavior_type keyspace(keyspace_actor::stateful_pointer<keyspace_state> self,
                                       std::vector<shard_actor> shards);

}  // namespace ovo
