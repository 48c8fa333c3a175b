#pragma once
// Per slot, the replica holders that fell out of sync: they did not confirm a write in time,
// so they may miss it, and do not count as copies until a slot push brought them up to date
// (docs/cluster.md, "In-sync copies"). Kept by the slot's owner; plain logic.

#include "core/slot_hash.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace ovo {

class in_sync_set {
 public:
  /// Whether `holder` counts as a copy of `slot`.
  bool in_sync(int slot, const std::string& holder) const {
    const auto& out = out_[static_cast<std::size_t>(slot)];
    return std::find(out.begin(), out.end(), holder) == out.end();
  }

  /// The copies of `slot` in sync: the owner plus those of `holders` in sync.
  int copies(int slot, const std::vector<std::string>& holders) const {
    int copies = 1;
    for (const auto& holder : holders) copies += in_sync(slot, holder) ? 1 : 0;
    return copies;
  }

  /// `holder` leaves the set of `slot`; true when it was in it.
  bool leave(int slot, const std::string& holder) {
    if (!in_sync(slot, holder)) return false;
    out_[static_cast<std::size_t>(slot)].push_back(holder);
    ++out_count_;
    return true;
  }

  /// `holder` is up to date again; true when it was out.
  bool rejoin(int slot, const std::string& holder) {
    auto& out = out_[static_cast<std::size_t>(slot)];
    auto it = std::find(out.begin(), out.end(), holder);
    if (it == out.end()) return false;
    out.erase(it);
    --out_count_;
    return true;
  }

  /// Every holder of `slot` counts as in sync again.
  void reset(int slot) {
    auto& out = out_[static_cast<std::size_t>(slot)];
    out_count_ -= out.size();
    out.clear();
  }

  /// The holders of `slot` out of sync.
  const std::vector<std::string>& out_of_sync(int slot) const {
    return out_[static_cast<std::size_t>(slot)];
  }

  /// Whether every replica holder of `slot` is in sync.
  bool complete(int slot) const { return out_[static_cast<std::size_t>(slot)].empty(); }

  /// (slot, holder) pairs out of sync.
  std::size_t out_count() const { return out_count_; }

 private:
  std::array<std::vector<std::string>, slot_count> out_;
  std::size_t out_count_ = 0;
};

}  // namespace ovo
