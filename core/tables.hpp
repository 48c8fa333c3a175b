#pragma once
// The hash tables behind a shard's objects and counters, and the per-slot split that lets a whole
// slot be listed or moved without touching the others.

#include "core/slot_hash.hpp"
#include "core/stored_object.hpp"
#include "core/ttl.hpp"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <absl/hash/hash.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace ovo {

/// Hashes and compares stored objects by key, and lets a plain string_view look them up.
struct object_key_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view key) const { return absl::Hash<std::string_view>{}(key); }
  std::size_t operator()(const stored_object& obj) const { return (*this)(obj.key()); }
};
struct object_key_eq {
  using is_transparent = void;
  static std::string_view key_of(std::string_view key) { return key; }
  static std::string_view key_of(const stored_object& obj) { return obj.key(); }
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return key_of(a) == key_of(b);
  }
};

/// The objects of one slot: the set holds one pointer per object.
using object_set = absl::flat_hash_set<stored_object, object_key_hash, object_key_eq>;

/// A counter's value, expiry deadline (0 = none) and version.
struct counter_entry {
  int64_t value = 0;
  int64_t deadline = 0;
  version_t version;
};

/// The counters of one slot.
using counter_map = absl::flat_hash_map<std::string, counter_entry>;

/// One table per slot. Only the slots a holder owns ever get entries.
template <class Table>
class per_slot {
 public:
  Table& operator[](int slot) { return tables_[static_cast<std::size_t>(slot)]; }
  const Table& operator[](int slot) const { return tables_[static_cast<std::size_t>(slot)]; }

  /// Empties one slot and gives its memory back; returns how many entries it held.
  std::size_t clear(int slot) {
    auto& table = tables_[static_cast<std::size_t>(slot)];
    const auto dropped = table.size();
    Table{}.swap(table);
    return dropped;
  }

  /// Erases, through `erase(table, iterator)` (the owner's accounting erase), the entries of
  /// `slot` that `drops(entry)` picks; returns how many. Abseil's erase keeps the other
  /// iterators valid, so one walk does it.
  template <class Drops, class Erase>
  std::size_t erase_where(int slot, Drops drops, Erase erase) {
    auto& table = (*this)[slot];
    std::size_t dropped = 0;
    for (auto it = table.begin(); it != table.end();) {
      if (!drops(*it)) {
        ++it;
        continue;
      }
      erase(table, it++);
      ++dropped;
    }
    return dropped;
  }

  /// Entries of every slot, by slot.
  std::vector<uint32_t> sizes() const {
    std::vector<uint32_t> out;
    out.reserve(tables_.size());
    for (const auto& table : tables_) out.push_back(static_cast<uint32_t>(table.size()));
    return out;
  }

  /// Entries over all slots.
  std::size_t total_size() const {
    std::size_t total = 0;
    for (const auto& table : tables_) total += table.size();
    return total;
  }

 private:
  std::array<Table, slot_count> tables_;
};

}  // namespace ovo
