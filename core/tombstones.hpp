#pragma once
// What a delete leaves behind: the key's version, for as long as an older copy of the key could
// still arrive (a late replica write, a slot push dumped before the delete), so that copy is
// refused instead of bringing the key back. Collected after a retention time.

#include "core/object_record.hpp"
#include "core/slot_digest.hpp"
#include "core/tables.hpp"

#include <absl/container/flat_hash_map.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ovo {

class tombstones {
 public:
  explicit tombstones(int64_t retention_ms) : retention_ms_(retention_ms) {}

  /// The version of the delete of `key`, or an unstamped one when none is remembered.
  version_t version_of(std::string_view key) const;

  /// Remembers the delete of `key` at `version` until `now_ms` + retention.
  void put(std::string_view key, version_t version, int64_t now_ms);

  /// Forgets the delete of `key` (it was written again).
  void erase(std::string_view key);

  /// Appends the deletes remembered in `slot` to `out`, as erasing writes of the objects or
  /// (`counters`) the counters namespace (slot migration).
  void dump(int slot, bool counters, std::vector<replica_write>& out) const;

  /// Appends the deletes remembered in `slot` to `out` as erased summary entries.
  void summarize(int slot, bool counters, std::vector<key_version>& out) const;
  /// Forgets a slot this node no longer holds.
  void drop(int slot);
  /// Gives every delete remembered epoch 0 (object_space::restart_epochs).
  void restart_epochs();

  /// While `keep` is set, the deletes of `slot` are not collected: a copy of the slot that is
  /// behind has yet to receive them, and without them would bring deleted keys back.
  void keep(int slot, bool keep) { kept_[static_cast<std::size_t>(slot)] = keep; }
  /// Forgets the deletes older than the retention (except in kept slots); cheap unless a sweep is
  /// due (every tenth of the retention), so it can run on every write.
  void collect(int64_t now_ms);

  std::size_t size() const { return tables_.total_size(); }
  /// The accounted bytes of the deletes remembered (memory_cost.hpp).
  std::size_t bytes() const { return bytes_; }

 private:
  struct entry {
    version_t version;
    int64_t until_ms;
  };
  using table = absl::flat_hash_map<std::string, entry>;

  int64_t retention_ms_;
  int64_t next_sweep_ms_ = 0;
  per_slot<table> tables_;
  std::array<bool, slot_count> kept_{};
  std::size_t bytes_ = 0;
};

}  // namespace ovo
