#pragma once
// Counter deadlines ordered in a binary heap: O(log n) to add, O(log n) per due entry to take
// out. Objects have their own heap without key copies (expiry_heap.hpp); counters are few and
// their table moves its entries on rehash, so here an entry names its key.

#include <cstdint>
#include <string>
#include <vector>

namespace ovo {

/// A key that should be dropped at `deadline`. Entries may be stale (the key was rewritten or
/// deleted); whoever pops one re-checks.
struct expiry_item {
  int64_t deadline;
  std::string key;
};

class expiry_queue {
 public:
  void push(expiry_item item);

  /// Removes and returns up to `limit` items whose deadline is <= now_ms, earliest first.
  std::vector<expiry_item> pop_due(int64_t now_ms, std::size_t limit);

  std::size_t size() const { return heap_.size(); }
  bool empty() const { return heap_.empty(); }

 private:
  std::vector<expiry_item> heap_;
};

}  // namespace ovo
