#pragma once
// Per slot, the replica holders that fell out of sync: they did not confirm a write in time,
// so they may miss it, and do not count as copies until a slot push brought them up to date
// (docs/cluster.md, "In-sync copies"). Kept by the slot's owner; plain logic.

#include "core/slot_hash.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ovo {

class in_sync_set {
 public:
  /// Whether `holder` counts as a copy of `slot`.
  bool in_sync(int slot, const std::string& holder) const { return !find(slot, holder); }

  /// The copies of `slot` in sync: the owner plus those of `holders` in sync.
  int copies(int slot, const std::vector<std::string>& holders) const {
    int copies = 1;
    for (const auto& holder : holders) copies += in_sync(slot, holder) ? 1 : 0;
    return copies;
  }

  /// `holder` leaves the set of `slot`. Gives the number of this departure (unique in this set,
  /// never 0: the agreed layout's listing of the holder must be for this very departure,
  /// docs/cluster.md "Lagging holders are agreed"), or 0 when it was out already.
  uint64_t leave(int slot, const std::string& holder) {
    if (!in_sync(slot, holder)) return 0;
    out_[index(slot)].push_back({holder, ++departures_, 0, false});
    ++out_count_;
    return departures_;
  }

  /// The number of `holder`'s current departure from the set of `slot`; 0 when it is in sync.
  uint64_t departure(int slot, const std::string& holder) const {
    const auto* entry = find(slot, holder);
    return entry ? entry->departure : 0;
  }

  /// Marks `holder`'s current departure from the set of `slot` as reported lagging (to the
  /// cluster manager); true when it was not yet.
  bool mark_reported(int slot, const std::string& holder) {
    auto* entry = find(slot, holder);
    if (!entry || entry->reported) return false;
    entry->reported = true;
    return true;
  }
  /// Whether `holder`'s current departure from the set of `slot` was reported lagging.
  bool reported(int slot, const std::string& holder) const {
    const auto* entry = find(slot, holder);
    return entry && entry->reported;
  }

  /// `holder`, out of sync, failed a write to `slot` too: a catch-up push that dumped the slot
  /// before that write does not bring it up to date.
  void missed(int slot, const std::string& holder) {
    if (auto* entry = find(slot, holder)) ++entry->misses;
  }
  /// How many writes `holder` failed since it left (a catch-up push notes it when it starts).
  uint64_t misses(int slot, const std::string& holder) const {
    const auto* entry = find(slot, holder);
    return entry ? entry->misses : 0;
  }

  /// `holder` is up to date again, unless it missed a write since `misses` were counted (then
  /// it stays out); true when it rejoined.
  bool rejoin(int slot, const std::string& holder, uint64_t misses) {
    const auto* left = find(slot, holder);
    if (!left || left->misses != misses) return false;
    auto& out = out_[index(slot)];
    out.erase(out.begin() + (left - out.data()));
    --out_count_;
    return true;
  }

  /// Every holder of `slot` counts as in sync again.
  void reset(int slot) {
    auto& out = out_[index(slot)];
    out_count_ -= out.size();
    out.clear();
  }

  /// Whether every replica holder of `slot` is in sync.
  bool complete(int slot) const { return out_[index(slot)].empty(); }

  /// (slot, holder) pairs out of sync.
  std::size_t out_count() const { return out_count_; }

 private:
  struct entry {
    std::string holder;
    uint64_t departure;
    uint64_t misses;
    bool reported;
  };
  static std::size_t index(int slot) { return static_cast<std::size_t>(slot); }
  const entry* find(int slot, const std::string& holder) const {
    const auto& out = out_[index(slot)];
    auto it =
        std::find_if(out.begin(), out.end(), [&](const entry& e) { return e.holder == holder; });
    return it == out.end() ? nullptr : &*it;
  }
  entry* find(int slot, const std::string& holder) {
    return const_cast<entry*>(static_cast<const in_sync_set*>(this)->find(slot, holder));
  }

  std::array<std::vector<entry>, slot_count> out_;
  std::size_t out_count_ = 0;
  uint64_t departures_ = 0;
};

}  // namespace ovo
