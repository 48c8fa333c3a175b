#include "core/expiry_queue.hpp"

#include <algorithm>

namespace ovo {
namespace {

// std heaps are max-heaps: order by "later" to keep the earliest deadline on top.
bool later(const expiry_item& a, const expiry_item& b) { return a.deadline > b.deadline; }

}  // namespace

void expiry_queue::push(expiry_item item) {
  heap_.push_back(std::move(item));
  std::push_heap(heap_.begin(), heap_.end(), later);
}

std::vector<expiry_item> expiry_queue::pop_due(int64_t now_ms, std::size_t limit) {
  std::vector<expiry_item> due;
  while (!heap_.empty() && due.size() < limit && heap_.front().deadline <= now_ms) {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    due.push_back(std::move(heap_.back()));
    heap_.pop_back();
  }
  return due;
}

}  // namespace ovo
