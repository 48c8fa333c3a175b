#pragma once
// The object operations of docs/protocol.md over the slots one shard holds. Plain logic: the shard
// actor owns one and adds messaging (moves to other shards, its expiry timer) around it.

#include "core/clock.hpp"
#include "core/command.hpp"
#include "core/expiry_heap.hpp"
#include "core/object_record.hpp"
#include "core/packed_keys.hpp"
#include "core/slot_digest.hpp"
#include "core/sorted_keys.hpp"
#include "core/tables.hpp"
#include "core/tombstones.hpp"
#include "core/version_clock.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <variant>

namespace ovo {

class object_space {
 public:
  /// Every write applied here is stamped by `versions`; deletes are remembered for
  /// `tombstone_retention_ms` (see tombstones.hpp).
  object_space(std::shared_ptr<const clock_source> clock, std::shared_ptr<version_clock> versions,
               int64_t tombstone_retention_ms);

  /// Executes any single-key object command except the key moves (see take_for_move). Writes
  /// get a new version; a delete leaves a tombstone.
  reply execute(const command& cmd);

  /// First half of updatekey / updatekeyvalueifequal: checks the condition and removes the
  /// source object. Gives the error reply, or the record to adopt under the new key.
  std::variant<reply, object_record> take_for_move(const command& cmd);

  /// Stores a record as a new local write (replacing any object under its key).
  void adopt(const object_record& record);

  /// Puts a record back under `original_key` after a failed move, unless that key was written
  /// again in the meantime.
  void restore(const object_record& record, const std::string& original_key);

  /// The live state of `key` as a replica write with its version (erase when absent: with the
  /// delete's version while its tombstone is kept).
  replica_write snapshot(std::string_view key);

  /// Installs a copy made elsewhere (a replica write, an arriving slot, a fetch) if it is newer
  /// than what is here, object or tombstone; an older or equal one changes nothing. `replace`:
  /// installed whatever the version here (what is here is distrusted: arrival_guard::admit).
  /// An unstamped copy (never written) installs nothing. True when it was installed.
  bool apply(const replica_write& write, bool replace = false);

  /// The accounted bytes this space holds: objects and remembered deletes (memory_cost.hpp).
  std::size_t bytes() const { return bytes_ + tombstones_.bytes(); }

  /// How many accounted bytes `cmd` would add if applied (0 for reads and deletes: they are
  /// never refused for memory).
  int64_t growth(const command& cmd) const;

  /// An object the eviction hand removed.
  struct eviction {
    std::string key;
    std::size_t bytes = 0;  ///< accounted bytes freed
    version_t version;      ///< the delete's version, for the replica holders' copies
  };
  /// Evicts cold objects of the slots `evictable` accepts until `bytes` were freed or none is
  /// left: CLOCK, the hand of SIEVE over the tables in their order (docs/memory.md). A read since
  /// the hand last passed saves an object once. An eviction leaves no tombstone (it would cost
  /// the memory the eviction frees); its version goes to the replica holders.
  std::vector<eviction> evict(std::size_t bytes, const std::function<bool(int)>& evictable);

  /// Drops up to `limit` objects whose deadline has passed, earliest first; returns how many.
  /// Bounded so that a wave of expiries never holds the shard for long. Also forgets the
  /// deletes past their retention when a sweep is due: commands do that too, but a shard no
  /// command reaches would keep them, and send them with its slots, for ever.
  std::size_t expire_due(std::size_t limit);

  /// Objects in the expiry heap: exactly those stored with a deadline (for tests and status).
  std::size_t expiring_count() const { return expiring_.size(); }

  /// Whether `key` is stored and live.
  bool contains(std::string_view key) { return find_live(tables_[slot_of(key)], key) != nullptr; }

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
  /// Gives every object and delete held here epoch 0, keeping their clock parts: this node left
  /// the layouts it agreed alone to join another cluster, whose epochs mean nothing next to
  /// them, so that cluster's copies of the same keys win (docs/cluster.md, "Joining another
  /// cluster").
  void restart_epochs();
  /// Removes the live entries of `slot` that `confirmed` rejects, leaving no tombstone (what a
  /// distrusted copy held that the node serving the slot no longer has: arrival_guard); returns
  /// how many.
  std::size_t drop_unconfirmed(int slot, const std::function<bool(std::string_view)>& confirmed);

  /// Deletes remembered (for tests and status).
  std::size_t tombstone_count() const { return tombstones_.size(); }

  /// Entries per slot (expired ones not yet swept included).
  std::vector<uint32_t> slot_sizes() const { return tables_.sizes(); }
  /// Entries of one slot, as slot_sizes() counts them.
  std::size_t slot_size(int slot) const { return tables_[slot].size(); }

  std::size_t size() const { return tables_.total_size(); }
  /// Where a listing's walk of one slot stands between two slices (see keys).
  struct key_walk {
    uint64_t inserts = 0;  ///< the slot's insert count when the walk began
    uintptr_t after = 0;   ///< the table position of the last key handed out; 0: the start
  };
  /// One slice of a slot's live keys (GET /ovo/keys), so that a listing holds the shard for a
  /// bounded number of keys at a time.
  struct key_slice {
    packed_keys keys;
    key_walk next;       ///< where the next slice resumes
    bool done = false;   ///< the slot has no further keys
    bool whole = false;  ///< all the slot's keys, replacing the slices handed out before
  };
  /// At most `limit` live keys of `slot` after `from` (a default key_walk: from the start), in
  /// table order. Erasing keeps every other key where it was, so a walk resumes at its position;
  /// an insert may rehash the table, so a walk begun before one answers the whole slot instead
  /// (`whole`). Either way a key present throughout is handed out once (docs/performance.md).
  key_slice keys(int slot, const key_walk& from, std::size_t limit) const;

  /// A page of a scan (GET /ovo/scan): at most `count` live keys of `slot` after `after`, in
  /// byte order, matching the glob `pattern` ("" = all); `more` when the slot may have further
  /// ones. A slot's first page (`after` "") copies its keys, and each page reads the copy in
  /// byte order, ordering it only as far as it reads (sorted_keys): a key present for the whole
  /// scan is in that copy, one added since may be missing and one removed since is skipped.
  struct scan_page {
    packed_keys keys;
    bool more = false;
  };
  scan_page scan(int slot, const std::string& after, std::size_t count, const std::string& pattern);

 private:
  /// The live object under `key`, or nullptr; removes it when it has expired.
  const stored_object* find_live(object_set& table, std::string_view key);
  void store(object_set& table, std::string_view key, std::string_view value,
             std::string_view collection, int64_t deadline, version_t version);
  /// Removes `key` as a local delete: a tombstone with a new version.
  void remove(object_set& table, std::string_view key);
  /// Every insertion and removal goes through these, so bytes_ and the expiry heap stay exact.
  void insert(object_set& table, stored_object object, int64_t deadline);
  void erase(object_set& table, object_set::iterator at);
  void erase(object_set& table, std::string_view key);
  /// An object's deadline (no_deadline when it has none): the expiry heap keeps it.
  int64_t deadline_of(const object_view& obj) const {
    return obj.has_deadline() ? expiring_.deadline_of(obj) : no_deadline;
  }
  /// The version of what is here for `key`: the object's, a tombstone's, or unstamped.
  version_t version_here(const object_set& table, std::string_view key) const;

  std::shared_ptr<const clock_source> clock_;
  std::shared_ptr<version_clock> versions_;
  per_slot<object_set> tables_;
  tombstones tombstones_;
  expiry_heap expiring_;  ///< the objects with a deadline, earliest first
  std::size_t bytes_ = 0;
  /// Where the eviction hand stands: a slot and the key it points at ("": the slot's start).
  int hand_slot_ = 0;
  std::string hand_key_;
  /// Inserts per slot, the only changes that move keys in a table: key walks check it.
  std::array<uint64_t, slot_count> inserts_{};
  sorted_keys scan_keys_;  ///< the slot a scan walks, in order, between its pages
};

}  // namespace ovo
