#pragma once
// The object operations of docs/protocol.md over the slots one shard holds. Plain logic: the shard
// actor owns one and adds messaging (expiry scheduling, moves to other shards) around it.

#include <functional>
#include <memory>
#include <string_view>
#include <variant>

#include "core/clock.hpp"
#include "core/command.hpp"
#include "core/object_record.hpp"
#include "core/tables.hpp"

namespace ovo {

class object_space {
 public:
  /// Called whenever an object is stored with a deadline, so it can be scheduled for expiry.
  using deadline_listener = std::function<void(std::string_view key, int64_t deadline)>;

  object_space(std::shared_ptr<const clock_source> clock, deadline_listener on_deadline);

  /// Executes any single-key object command except the key moves (see take_for_move).
  reply execute(const command& cmd);

  /// First half of updatekey / updatekeyvalueifequal: checks the condition and removes the
  /// source object. Gives the error reply, or the record to adopt under the new key.
  std::variant<reply, object_record> take_for_move(const command& cmd);

  /// Stores a record (replacing any object under its key).
  void adopt(const object_record& record);

  /// Puts a record back under `original_key` after a failed move, unless that key was written
  /// again in the meantime.
  void restore(const object_record& record, const std::string& original_key);

  /// The live state of `key` as a replica write (erase when absent).
  replica_write snapshot(std::string_view key);

  /// Applies a replica write from the slot's owner.
  void apply(const replica_write& write);

  /// Drops the given keys whose deadline has passed (stale entries are ignored).
  std::size_t expire(const std::vector<std::string>& keys);

  /// Whether `key` is stored and live.
  bool contains(std::string_view key) { return find_live(tables_[slot_of(key)], key) != nullptr; }

  /// Every live entry of `slot`, as the writes that recreate it elsewhere (slot migration).
  std::vector<replica_write> dump(int slot);

  /// Forgets a slot this node no longer holds; returns how many entries it held.
  std::size_t drop(int slot) { return tables_.clear(slot); }

  /// Entries per slot (expired ones not yet swept included).
  std::vector<uint32_t> slot_sizes() const { return tables_.sizes(); }

  std::size_t size() const { return tables_.total_size(); }
  std::vector<std::string> keys() const;

 private:
  /// The live object under `key`, or nullptr; removes it when it has expired.
  const stored_object* find_live(object_set& table, std::string_view key);
  void store(object_set& table, std::string_view key, std::string_view value,
             std::string_view collection, int64_t deadline);

  std::shared_ptr<const clock_source> clock_;
  deadline_listener on_deadline_;
  per_slot<object_set> tables_;
};

}  // namespace ovo
