#include "core/expiry_heap.hpp"

namespace ovo {

void expiry_heap::add(object_view obj, int64_t deadline) {
  heap_.push_back({deadline, obj});
  obj.set_expiry_position(static_cast<uint32_t>(heap_.size() - 1));
  sift_up(heap_.size() - 1);
}

void expiry_heap::remove(object_view obj) {
  const std::size_t at = obj.expiry_position();
  const entry last = heap_.back();
  heap_.pop_back();
  if (at == heap_.size()) return;  // it was the last one
  place(at, last);
  // The last one may belong above or below the place it fills.
  sift_up(at);
  sift_down(last.obj.expiry_position());
}

void expiry_heap::place(std::size_t at, const entry& e) {
  heap_[at] = e;
  e.obj.set_expiry_position(static_cast<uint32_t>(at));
}

void expiry_heap::sift_up(std::size_t at) {
  const entry moving = heap_[at];
  while (at > 0) {
    const std::size_t parent = (at - 1) / 2;
    if (heap_[parent].deadline <= moving.deadline) break;
    place(at, heap_[parent]);
    at = parent;
  }
  place(at, moving);
}

void expiry_heap::sift_down(std::size_t at) {
  const entry moving = heap_[at];
  const std::size_t n = heap_.size();
  for (;;) {
    std::size_t child = 2 * at + 1;
    if (child >= n) break;
    if (child + 1 < n && heap_[child + 1].deadline < heap_[child].deadline) ++child;
    if (moving.deadline <= heap_[child].deadline) break;
    place(at, heap_[child]);
    at = child;
  }
  place(at, moving);
}

}  // namespace ovo
