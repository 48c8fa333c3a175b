// Placement epochs (docs/cluster.md, "Epoch stamps"): since which epoch each slot has had its
// owner and holders; a stamp older than that is refused, an older stamp after a layout that
// changed only lagging lists is not.

#include "core/placement_epochs.hpp"

#include <doctest/doctest.h>

using ovo::agreed_layout;
using ovo::placement_epochs;

namespace {

/// Two slots: slot 0 owned by a with holder b, slot 1 owned by b with holder a.
agreed_layout two_slots(uint64_t epoch) {
  agreed_layout layout;
  layout.epoch = epoch;
  layout.members = {"a", "b", "c"};
  layout.owners = {"a", "b"};
  layout.replicas = {{"b"}, {"a"}};
  return layout;
}

}  // namespace

TEST_CASE("placement epochs: the first layout places every slot at its epoch") {
  placement_epochs placements;
  CHECK_FALSE(placements.changed_since(0, 0));  // nothing installed: nothing refused
  placements.installed(two_slots(4));
  CHECK(placements.changed_since(0, 3));
  CHECK(placements.changed_since(1, 3));
  CHECK_FALSE(placements.changed_since(0, 4));
  CHECK_FALSE(placements.changed_since(1, 5));
}

TEST_CASE(
    "placement epochs: a next layout that only lists a lagging holder keeps every slot placed") {
  placement_epochs placements;
  placements.installed(two_slots(4));
  auto lagging = two_slots(5);
  lagging.lagging = {{"b"}, {}};
  placements.installed(lagging);
  CHECK_FALSE(placements.changed_since(0, 4));
  CHECK_FALSE(placements.changed_since(1, 4));
  CHECK(placements.changed_since(0, 3));
}

TEST_CASE("placement epochs: a next layout moving one slot's holder places only that slot anew") {
  placement_epochs placements;
  placements.installed(two_slots(4));
  auto moved = two_slots(5);
  moved.replicas[1] = {"c"};
  placements.installed(moved);
  CHECK_FALSE(placements.changed_since(0, 4));
  CHECK(placements.changed_since(1, 4));
  CHECK_FALSE(placements.changed_since(1, 5));
  auto owner_moved = two_slots(6);
  owner_moved.replicas[1] = {"c"};
  owner_moved.owners[0] = "c";
  placements.installed(owner_moved);
  CHECK(placements.changed_since(0, 5));
  CHECK_FALSE(placements.changed_since(1, 5));
}

TEST_CASE("placement epochs: a skipped epoch or changed members place every slot anew") {
  placement_epochs placements;
  placements.installed(two_slots(4));
  placements.installed(two_slots(6));  // epoch 5 unknown here: it may have moved anything
  CHECK(placements.changed_since(0, 5));
  CHECK(placements.changed_since(1, 5));
  auto fewer = two_slots(7);
  fewer.members = {"a", "b"};
  placements.installed(fewer);
  CHECK(placements.changed_since(0, 6));
  auto taken_over = two_slots(8);
  taken_over.members = {"a", "b"};
  taken_over.down = {"c"};
  placements.installed(taken_over);
  CHECK(placements.changed_since(1, 7));
}

TEST_CASE("placement epochs: a layout no newer than the last one changes nothing") {
  placement_epochs placements;
  placements.installed(two_slots(4));
  auto moved = two_slots(5);
  moved.owners[0] = "c";
  placements.installed(moved);
  placements.installed(two_slots(5));
  placements.installed(two_slots(3));
  CHECK(placements.changed_since(0, 4));
  CHECK_FALSE(placements.changed_since(1, 4));
}
