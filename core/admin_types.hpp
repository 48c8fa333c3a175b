#pragma once
// What the admin actor answers ovoctl: plain data that crosses the network.

#include <cstdint>
#include <string>
#include <vector>

namespace ovo {

/// One node's health, for `ovoctl status` and `ovoctl topology`.
struct node_status {
  std::string name;
  int64_t uptime_ms = 0;
  uint64_t objects = 0;   ///< objects stored here (owned and replicas)
  uint64_t counters = 0;  ///< counters stored here (owned and replicas)
  uint64_t rss_bytes = 0;
  uint64_t lagging_writes = 0;  ///< replica writes a twin did not confirm in time
  /// (slot, replica holder) pairs of this node's slots out of the in-sync set right now.
  uint64_t out_of_sync = 0;
  uint32_t slots = 0;     ///< slots this node serves
  uint32_t arriving = 0;  ///< slots held here whose data has not arrived yet
  bool leaving = false;
  std::vector<uint64_t> requests;       ///< requests routed since start, by operation (op order)
  uint64_t forwarded = 0;               ///< requests sent on to the slot's owner
  uint64_t expired_keys = 0;            ///< objects and counters whose TTL passed
  uint64_t stored_bytes = 0;            ///< accounted bytes held by the shards (docs/memory.md)
  uint64_t max_memory_bytes = 0;        ///< Settings.MaxMemoryBytes (0: no cap)
  uint64_t evictions = 0;               ///< objects evicted to keep under the cap
  uint64_t evicted_bytes = 0;           ///< their accounted bytes
  uint64_t cache_hits = 0;              ///< object GETs this node answered as owner: found
  uint64_t cache_misses = 0;            ///< and not found
  uint64_t rebalance_passes = 0;        ///< rebalancing passes finished here
  uint64_t slots_moved = 0;             ///< slots those passes handed over
  uint64_t slot_entries_sent = 0;       ///< keys (objects and counters) they sent
  uint64_t slot_move_ms = 0;            ///< time they took
  uint64_t slot_bytes_sent = 0;         ///< bytes every slot push sent (passes, catch-ups)
  std::vector<std::string> peers_up;    ///< the other members this node's links reach
  std::vector<std::string> peers_down;  ///< the other members they do not reach now
  std::vector<int> arriving_slots;      ///< which slots are arriving (the cluster manager's count)
  bool rebalancing = false;             ///< a pass of this node is moving slots
  uint32_t pass_slots = 0;              ///< slots that pass hands over
  uint32_t pass_done = 0;               ///< of which handled so far
  uint64_t layout_epoch = 0;            ///< the newest layout epoch this node installed
  bool layout_pending = false;  ///< its view wants another layout than that one (not agreed yet)
};

/// The outcome of one rebalancing pass on one node.
struct pass_report {
  uint32_t slots_moved = 0;
  uint32_t slots_failed = 0;
  uint64_t entries_sent = 0;
  int64_t duration_ms = 0;
};

/// What comparing one node's slots with their replica holders found (`ovoctl verify`, and the
/// periodic check every Settings.VerifyIntervalSeconds).
struct verify_report {
  uint32_t slots_checked = 0;  ///< owned slots compared with every replica holder
  uint32_t slots_skipped = 0;  ///< owned slots with a holder that could not be compared
  uint64_t keys_differing = 0;
  uint64_t keys_repaired = 0;  ///< differing keys whose newer state reached the older copy
};

}  // namespace ovo
