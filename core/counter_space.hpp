#pragma once
// The counter operations of docs/protocol.md: int64 values in their own namespace, with TTLs.

#include "core/clock.hpp"
#include "core/command.hpp"
#include "core/expiry_queue.hpp"
#include "core/object_record.hpp"
#include "core/slot_digest.hpp"
#include "core/tables.hpp"
#include "core/tombstones.hpp"
#include "core/version_clock.hpp"

#include <functional>
#include <memory>
#include <string_view>

namespace ovo {

class counter_space {
 public:
  /// Every write applied here is stamped by `versions`; deletes are remembered for
  /// `tombstone_retention_ms` (see tombstones.hpp).
  counter_space(std::shared_ptr<const clock_source> clock, std::shared_ptr<version_clock> versions,
                int64_t tombstone_retention_ms);

  /// Executes counter_set, counter_add, counter_get or counter_remove. Writes get a new
  /// version; a delete leaves a tombstone.
  reply execute(const command& cmd);

  /// The live state of counter `key` as a replica write with its version (erase when absent:
  /// with the delete's version while its tombstone is kept).
  replica_write snapshot(std::string_view key);

  /// Installs a copy made elsewhere if it is newer than what is here, or whatever the version
  /// here with `replace` (see object_space::apply).
  bool apply(const replica_write& write, bool replace = false);

  /// The accounted bytes this space holds: counters and remembered deletes (memory_cost.hpp).
  std::size_t bytes() const { return bytes_ + tombstones_.bytes(); }
  /// How many accounted bytes `cmd` would add: a new counter's; 0 otherwise.
  int64_t growth(const command& cmd) const;

  /// Drops counters whose deadline has passed, at most `limit` queued deadlines' worth (the
  /// shard's expiry batch); returns how many were dropped. Also forgets the deletes past their
  /// retention, as object_space::expire_due does.
  std::size_t expire_due(std::size_t limit);

  /// Whether counter `key` exists and is live.
  bool contains(std::string_view key) { return !snapshot(key).erase; }

  /// Every live entry of `slot` and every delete still remembered there, as the writes that
  /// recreate them elsewhere (slot migration).
  std::vector<replica_write> dump(int slot);

  /// The digest of the slot's live entries (slot_digest.hpp).
  uint64_t digest(int slot);
  /// Appends every live entry of `slot` and every delete still remembered there, key and
  /// version only (anti-entropy).
  void summarize(int slot, std::vector<key_version>& out);
  /// Keeps the deletes of `slot` past their retention while a copy of it is behind.
  void keep_deletes(int slot, bool keep) { tombstones_.keep(slot, keep); }
  /// Forgets a slot this node no longer holds; returns how many entries it held.
  std::size_t drop(int slot);
  /// Gives every counter and delete held here epoch 0 (object_space::restart_epochs).
  void restart_epochs();
  /// Removes the counters of `slot` that `confirmed` rejects, leaving no tombstone
  /// (object_space::drop_unconfirmed); returns how many.
  std::size_t drop_unconfirmed(int slot, const std::function<bool(std::string_view)>& confirmed);

  /// Entries per slot (expired ones not yet swept included).
  std::vector<uint32_t> slot_sizes() const { return tables_.sizes(); }
  /// Entries of one slot, as slot_sizes() counts them.
  std::size_t slot_size(int slot) const { return tables_[slot].size(); }

  std::size_t size() const { return tables_.total_size(); }

 private:
  /// Every removal of a counter goes through here, so bytes_ stays exact.
  void erase(counter_map& table, counter_map::iterator at);
  /// Gives a counter a new deadline (or none) and queues it for expiry if needed.
  void set_deadline(const std::string& key, counter_entry& entry, int64_t deadline);

  std::shared_ptr<const clock_source> clock_;
  std::shared_ptr<version_clock> versions_;
  per_slot<counter_map> tables_;
  tombstones tombstones_;
  expiry_queue deadlines_;  ///< of counters with a TTL; may hold stale entries
  std::size_t bytes_ = 0;   ///< of the counters (memory_cost::counter per entry)
};

}  // namespace ovo
