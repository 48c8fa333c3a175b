#include "core/expiry_queue.hpp"

#include <doctest/doctest.h>

TEST_CASE("due items come out earliest first, later ones stay") {
  ovo::expiry_queue queue;
  queue.push({300, "c"});
  queue.push({100, "a"});
  queue.push({500, "e"});
  queue.push({200, "b"});
  const auto due = queue.pop_due(300, 100);
  REQUIRE(due.size() == 3);
  CHECK(due[0].key == "a");
  CHECK(due[1].key == "b");
  CHECK(due[2].key == "c");
  CHECK(queue.size() == 1);
  CHECK(queue.pop_due(499, 100).empty());
  CHECK(queue.pop_due(500, 100).front().key == "e");
  CHECK(queue.empty());
}

TEST_CASE("pop_due hands out at most the batch limit") {
  ovo::expiry_queue queue;
  for (int i = 0; i < 1000; ++i) queue.push({1000 - i, std::to_string(i)});
  const auto first = queue.pop_due(5000, 300);
  CHECK(first.size() == 300);
  CHECK(first.front().deadline == 1);
  CHECK(first.back().deadline == 300);
  CHECK(queue.size() == 700);
}
