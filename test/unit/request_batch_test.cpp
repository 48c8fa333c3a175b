#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "request_batch.hpp"

using batch = ovo::request_batch<std::string, int>;

TEST_CASE("a sent batch keeps its waiters in item order until answered, once") {
  batch b;
  CHECK_FALSE(b.gathered());
  b.add("a", 1);
  b.add("b", 2);
  CHECK(b.gathered());
  auto [id, items] = b.send();
  CHECK(items == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(b.gathered());
  b.add("c", 3);  // gathered for the next batch meanwhile
  auto [next_id, next_items] = b.send();
  CHECK(next_id != id);
  CHECK(next_items == std::vector<std::string>{"c"});
  CHECK(b.answered(id) == std::vector<int>{1, 2});
  CHECK(b.answered(id).empty());  // a late second answer (timeout after reply) finds nobody
  CHECK(b.answered(next_id) == std::vector<int>{3});
}

TEST_CASE("abandoning answers every waiter, gathered or sent, and leaves nothing behind") {
  batch b;
  b.add("a", 1);
  auto sent = b.send();
  b.add("b", 2);
  auto waiters = b.abandon();
  std::sort(waiters.begin(), waiters.end());
  CHECK(waiters == std::vector<int>{1, 2});
  CHECK_FALSE(b.gathered());
  CHECK(b.answered(sent.first).empty());
  CHECK(b.abandon().empty());
}
