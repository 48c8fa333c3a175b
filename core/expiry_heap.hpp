#pragma once
// The objects of a shard that have a deadline, earliest first: a binary heap of views into the
// shard's table (8 bytes each), indexed by the position each object keeps in its own block.
// No copy of a key, and no stale entry: an object leaves the heap when it leaves the table
// (erased, rewritten, evicted, expired), so what the heap holds is always exactly the objects
// with a deadline. O(log n) to add, to remove, and to take out the earliest.

#include "core/stored_object.hpp"

#include <cstddef>
#include <vector>

namespace ovo {

class expiry_heap {
 public:
  /// Adds an object that has a deadline.
  void add(object_view obj);
  /// Removes an object added before (its block must still be alive).
  void remove(object_view obj);

  /// The object with the earliest deadline; only when not empty.
  object_view earliest() const { return heap_.front(); }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }

 private:
  void place(std::size_t at, object_view obj);
  void sift_up(std::size_t at);
  void sift_down(std::size_t at);

  std::vector<object_view> heap_;
};

}  // namespace ovo
