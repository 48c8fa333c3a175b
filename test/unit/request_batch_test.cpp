#include "core/request_batch.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

using batch = ovo::request_batch<std::string, int>;
using std::chrono::seconds;

namespace {
const batch::time_point start{};
}

TEST_CASE("a sent batch keeps its waiters in item order until answered, once") {
  batch b;
  CHECK_FALSE(b.gathered());
  b.add("a", 1);
  b.add("b", 2);
  CHECK(b.gathered());
  auto [id, items] = b.send(start);
  CHECK(items == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(b.gathered());
  CHECK(b.in_flight());
  b.add("c", 3);  // gathered for the next batch meanwhile
  auto [next_id, next_items] = b.send(start);
  CHECK(next_id != id);
  CHECK(next_items == std::vector<std::string>{"c"});
  CHECK(b.answered(id) == std::vector<int>{1, 2});
  CHECK(b.answered(id).empty());  // a late second answer finds nobody
  CHECK(b.answered(next_id) == std::vector<int>{3});
  CHECK_FALSE(b.in_flight());
}

TEST_CASE("overdue batches give their waiters up, oldest first, and a late answer finds nobody") {
  batch b;
  b.add("a", 1);
  auto first = b.send(start);
  b.add("b", 2);
  b.add("c", 3);
  auto second = b.send(start + seconds(2));
  b.add("d", 4);
  auto third = b.send(start + seconds(5));
  CHECK(b.overdue(start - seconds(1)).empty());
  CHECK(b.overdue(start + seconds(2)) == std::vector<int>{1, 2, 3});
  CHECK(b.answered(first.first).empty());
  CHECK(b.answered(second.first).empty());
  CHECK(b.in_flight());
  CHECK(b.answered(third.first) == std::vector<int>{4});
}

TEST_CASE("abandoning answers every waiter, gathered or sent, and leaves nothing behind") {
  batch b;
  b.add("a", 1);
  auto sent = b.send(start);
  b.add("b", 2);
  auto waiters = b.abandon();
  std::sort(waiters.begin(), waiters.end());
  CHECK(waiters == std::vector<int>{1, 2});
  CHECK_FALSE(b.gathered());
  CHECK_FALSE(b.in_flight());
  CHECK(b.answered(sent.first).empty());
  CHECK(b.abandon().empty());
}
