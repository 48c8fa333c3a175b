#pragma once
// The deadlines of a shard's objects, earliest first: a binary min-heap of {deadline, view of the
// object's block} (16 bytes each), indexed by the position each object keeps in its own block.
// The deadline lives here and nowhere else, so ordering never leaves the array; there is no copy
// of a key and no stale entry: an object leaves the heap when it leaves the table (erased,
// rewritten, evicted, expired), so the heap holds exactly the objects with a deadline.
// O(log n) to add, to remove, and to take out the earliest; O(1) to read an object's deadline.

#include "core/stored_object.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ovo {

class expiry_heap {
  struct entry {
    int64_t deadline;
    object_view obj;
  };

 public:
  /// What one object adds to the heap's array (memory accounting).
  static constexpr std::size_t entry_bytes = sizeof(entry);

  /// Adds an object created with room for a deadline (stored_object::create).
  void add(object_view obj, int64_t deadline);
  /// Removes an object added before (its block must still be alive).
  void remove(object_view obj);
  /// The deadline of an object added before.
  int64_t deadline_of(object_view obj) const { return heap_[obj.expiry_position()].deadline; }

  /// The object with the earliest deadline, and that deadline; only when not empty.
  object_view earliest() const { return heap_.front().obj; }
  int64_t earliest_deadline() const { return heap_.front().deadline; }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }

 private:
  void place(std::size_t at, const entry& e);
  void sift_up(std::size_t at);
  void sift_down(std::size_t at);

  std::vector<entry> heap_;
};

}  // namespace ovo
