#pragma once
#include "core/version_clock.hpp"

#include <cstdint>
#include <string>

namespace ovo {

/// An object in transit (a key move between shards; later replication and slot migration).
/// The deadline travels as time remaining so it survives a change of clock.
struct object_record {
  std::string key;
  std::string value;
  std::string collection;
  int64_t remaining_ms = 0;  ///< 0 = no expiry
};

/// The state of one key after a write, sent by the slot's owner to the node holding its replica.
/// Sending the resulting state (not the command) keeps replicas exact for conditional updates,
/// increments and key moves, and applying it twice changes nothing.
struct replica_write {
  bool counter = false;  ///< counter namespace instead of objects
  bool erase = false;    ///< the key is gone (a tombstone when the version is stamped)
  /// An erase because the owner evicted the key: holders drop their copy and keep no tombstone
  /// (docs/memory.md, "Copies").
  bool evicted = false;
  object_record record;  ///< key (always), value, collection, remaining TTL
  int64_t counter_value = 0;
  /// The version of the state sent (version_clock.hpp): a holder installs it only over an
  /// older one. Unstamped: unknown, e.g. a key that was never written.
  version_t version;
};

}  // namespace ovo
