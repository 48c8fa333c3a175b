#include "core/expiry_heap.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace {

ovo::stored_object object_named_for(int64_t deadline) {
  return ovo::stored_object::create("k" + std::to_string(deadline), "v", "", true, {0, 1});
}

/// Takes every object out of `heap` in order and gives their deadlines.
std::vector<int64_t> drain(ovo::expiry_heap& heap) {
  std::vector<int64_t> out;
  while (!heap.empty()) {
    out.push_back(heap.earliest_deadline());
    heap.remove(heap.earliest());
  }
  return out;
}

}  // namespace

TEST_CASE("the earliest deadline comes first, whatever the order of adding") {
  std::vector<ovo::stored_object> objects;
  const std::vector<int64_t> deadlines{300, 100, 500, 200, 400};
  for (auto deadline : deadlines) objects.push_back(object_named_for(deadline));
  ovo::expiry_heap heap;
  for (std::size_t i = 0; i < objects.size(); ++i) heap.add(objects[i].view(), deadlines[i]);
  CHECK(heap.size() == 5);
  CHECK(heap.earliest().key() == "k100");
  CHECK(heap.deadline_of(objects[2].view()) == 500);
  CHECK(drain(heap) == std::vector<int64_t>{100, 200, 300, 400, 500});
}

TEST_CASE("removing any object keeps the others in order and the heap exact") {
  std::vector<ovo::stored_object> objects;
  std::vector<int64_t> deadlines;
  for (int64_t i = 1; i <= 1000; ++i) deadlines.push_back(i * 7 % 1009);
  std::shuffle(deadlines.begin(), deadlines.end(), std::mt19937(42));
  for (auto deadline : deadlines) objects.push_back(object_named_for(deadline));
  ovo::expiry_heap heap;
  for (std::size_t i = 0; i < objects.size(); ++i) heap.add(objects[i].view(), deadlines[i]);
  std::vector<int64_t> kept;
  for (std::size_t i = 0; i < objects.size(); ++i)
    if (i % 3 == 0) {
      heap.remove(objects[i].view());
    } else {
      CHECK(heap.deadline_of(objects[i].view()) == deadlines[i]);
      kept.push_back(deadlines[i]);
    }
  CHECK(heap.size() == kept.size());
  std::sort(kept.begin(), kept.end());
  CHECK(drain(heap) == kept);
}

TEST_CASE("an object's block tells the heap where it stands") {
  std::vector<ovo::stored_object> objects;
  const std::vector<int64_t> deadlines{30, 10, 20};
  for (auto deadline : deadlines) objects.push_back(object_named_for(deadline));
  ovo::expiry_heap heap;
  for (std::size_t i = 0; i < objects.size(); ++i) heap.add(objects[i].view(), deadlines[i]);
  CHECK(objects[1].expiry_position() == 0);  // the earliest is at the top
  heap.remove(objects[1].view());
  CHECK(heap.earliest() == objects[2].view());
  CHECK(objects[2].expiry_position() == 0);
}
