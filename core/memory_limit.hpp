#pragma once
// Settings.MaxMemoryBytes and Settings.EvictionPolicy as one shard applies them
// (docs/memory.md).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ovo {

/// What a write that would pass the cap does.
enum class eviction_policy : uint8_t {
  /// Evict the objects the "visited" bits show as cold (CLOCK with SIEVE's hand; default).
  clock,
  /// Refuse the write: 507/"15", nothing changed; reads and deletes still work.
  noeviction,
};

/// The setting's text ("clock", "noeviction").
const char* to_string(eviction_policy policy);
/// The policy named `text`, or nothing.
std::optional<eviction_policy> eviction_policy_named(std::string_view text);

/// One shard's share of the node's cap.
struct memory_limit {
  uint64_t cap_bytes = 0;  ///< 0: no cap
  eviction_policy policy = eviction_policy::clock;

  /// The node's cap split evenly over its shards (each shard holds about 1/shards of the keys).
  static memory_limit per_shard(uint64_t node_cap_bytes, eviction_policy policy,
                                std::size_t shards) {
    if (node_cap_bytes == 0 || shards <= 1) return {node_cap_bytes, policy};
    const uint64_t share = node_cap_bytes / shards;
    return {share == 0 ? 1 : share, policy};
  }
};

}  // namespace ovo
