#pragma once
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

}  // namespace ovo
