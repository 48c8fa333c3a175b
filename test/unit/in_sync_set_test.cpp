// The in-sync set of a slot's replica holders (docs/cluster.md, "In-sync copies").

#include "core/in_sync_set.hpp"

#include <doctest/doctest.h>

TEST_CASE("a holder that left a slot's in-sync set does not count as a copy until it rejoins") {
  ovo::in_sync_set set;
  const std::vector<std::string> holders{"b", "c"};
  CHECK(set.copies(5, holders) == 3);
  CHECK(set.leave(5, "b"));
  CHECK_FALSE(set.leave(5, "b"));  // already out
  CHECK(set.copies(5, holders) == 2);
  CHECK(set.copies(6, holders) == 3);  // per slot
  CHECK(set.out_count() == 1);
  CHECK(set.rejoin(5, "b"));
  CHECK_FALSE(set.rejoin(5, "b"));
  CHECK(set.copies(5, holders) == 3);
  CHECK(set.out_count() == 0);
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
  CHECK_FALSE(set.complete(6));
  CHECK(set.out_count() == 1);
}
