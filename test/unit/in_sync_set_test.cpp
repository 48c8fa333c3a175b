// The in-sync set of a slot's replica holders (docs/cluster.md, "In-sync copies").

#include "core/in_sync_set.hpp"

#include <doctest/doctest.h>

TEST_CASE("a holder that left a slot's in-sync set does not count as a copy until it rejoins") {
  ovo::in_sync_set set;
  const std::vector<std::string> holders{"b", "c"};
  CHECK(set.copies(5, holders) == 3);
  CHECK(set.leave(5, "b") != 0);
  CHECK(set.leave(5, "b") == 0);  // already out
  CHECK(set.copies(5, holders) == 2);
  CHECK(set.copies(6, holders) == 3);  // per slot
  CHECK(set.out_count() == 1);
  CHECK(set.rejoin(5, "b", 0));
  CHECK_FALSE(set.rejoin(5, "b", 0));
  CHECK(set.copies(5, holders) == 3);
  CHECK(set.out_count() == 0);
}

TEST_CASE("each departure from the in-sync set has its own number, and a holder in sync has none") {
  ovo::in_sync_set set;
  const auto first = set.leave(5, "b");
  CHECK(set.departure(5, "b") == first);
  CHECK(set.departure(5, "c") == 0);
  CHECK(set.leave(6, "b") != first);  // another slot, another departure
  set.rejoin(5, "b", 0);
  CHECK(set.departure(5, "b") == 0);
  const auto second = set.leave(5, "b");
  CHECK(second != 0);
  CHECK(second != first);  // the agreed layout's listing of the first departure is not this one's
}

TEST_CASE("a holder that missed a write while being caught up stays out of sync") {
  ovo::in_sync_set set;
  set.leave(5, "b");
  const auto seen = set.misses(5, "b");  // what a catch-up push notes when it dumps the slot
  set.missed(5, "b");                    // a write after the dump failed on b
  CHECK_FALSE(set.rejoin(5, "b", seen));
  CHECK_FALSE(set.in_sync(5, "b"));
  CHECK(set.rejoin(5, "b", set.misses(5, "b")));  // the next push started after it
  CHECK(set.in_sync(5, "b"));
  set.missed(5, "b");  // in sync: nothing to note
  CHECK(set.misses(5, "b") == 0);
}

TEST_CASE("resetting a slot counts every holder of it in sync again, other slots unchanged") {
  ovo::in_sync_set set;
  const std::vector<std::string> holders{"b", "c"};
  set.leave(5, "b");
  set.leave(5, "c");
  set.leave(6, "b");
  set.reset(5);
  CHECK(set.complete(5));
  CHECK(set.copies(5, holders) == 3);
  CHECK(set.departure(5, "b") == 0);
  CHECK_FALSE(set.complete(6));
  CHECK(set.out_count() == 1);
}

TEST_CASE("a departure is reported lagging once, and a new departure starts unreported") {
  ovo::in_sync_set set;
  CHECK_FALSE(set.mark_reported(5, "b"));  // in sync: nothing to report
  set.leave(5, "b");
  CHECK_FALSE(set.reported(5, "b"));
  CHECK(set.mark_reported(5, "b"));
  CHECK_FALSE(set.mark_reported(5, "b"));
  CHECK(set.reported(5, "b"));
  set.rejoin(5, "b", 0);
  set.leave(5, "b");
  CHECK_FALSE(set.reported(5, "b"));
}
