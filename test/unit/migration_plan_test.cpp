#include "core/migration_plan.hpp"

#include <doctest/doctest.h>

namespace {

/// Holder `name` in its `incarnation`-th process.
ovo::holder_id h(const char* name, int64_t incarnation = 1) { return {name, incarnation}; }

ovo::holder_map all(const ovo::holder_id& owner, const ovo::holder_id& replica) {
  ovo::holder_map map;
  map.fill({owner, replica.empty() ? std::vector<ovo::holder_id>{}
                                   : std::vector<ovo::holder_id>{replica}});
  return map;
}

using targets = std::vector<ovo::holder_id>;

std::array<bool, ovo::slot_count> data_everywhere() {
  std::array<bool, ovo::slot_count> has;
  has.fill(true);
  return has;
}

}  // namespace

TEST_CASE("nothing moves while the holders stay the same") {
  const auto layout = all(h("a"), h("b"));
  CHECK(plan_pushes(layout, layout, h("a"), data_everywhere()).empty());
  CHECK(plan_pushes(layout, layout, h("b"), data_everywhere()).empty());
}

TEST_CASE(
    "the old owner sends to the new owner and drops, its push ends the arrival, the twin that "
    "stays keeps quiet") {
  const auto before = all(h("a"), h("b"));
  const auto after = all(h("c"), h("b"));
  const auto plan = plan_pushes(before, after, h("a"), data_everywhere());
  REQUIRE(plan.size() == ovo::slot_count);
  CHECK(plan.front().targets == targets{h("c")});
  CHECK(plan.front().drop_after);
  CHECK(plan.front().complete);
  CHECK(plan_pushes(before, after, h("b"), data_everywhere()).empty());
}

TEST_CASE("after a failover the twin, now serving, gives the new twin its copy") {
  const auto plan =
      plan_pushes(all(h("a"), h("b")), all(h("b"), h("c")), h("b"), data_everywhere());
  REQUIRE(plan.size() == ovo::slot_count);
  CHECK(plan.front().targets == targets{h("c")});
  CHECK_FALSE(plan.front().drop_after);
}

TEST_CASE("a restarted node is a new holder: the node serving meanwhile sends the data back") {
  const auto plan =
      plan_pushes(all(h("b"), h("c")), all(h("a", 2), h("b")), h("b"), data_everywhere());
  REQUIRE(plan.size() == ovo::slot_count);
  CHECK(plan.front().targets == targets{h("a", 2)});
  CHECK_FALSE(plan.front().drop_after);  // b stays the twin
}

TEST_CASE(
    "a node left with data it does not hold sends it to both holders, then drops it, without "
    "ending their arrival (it may have only part of the slot)") {
  const auto layout = all(h("a"), h("b"));
  const auto plan = plan_pushes(layout, layout, h("c"), data_everywhere());
  REQUIRE(plan.size() == ovo::slot_count);
  CHECK(plan.front().targets == targets{h("a"), h("b")});
  CHECK(plan.front().drop_after);
  CHECK_FALSE(plan.front().complete);
}

TEST_CASE("slots without data here are not planned") {
  std::array<bool, ovo::slot_count> has{};
  has[5] = true;
  const auto plan = plan_pushes(all(h("a"), {}), all(h("b"), {}), h("a"), has);
  REQUIRE(plan.size() == 1);
  CHECK(plan.front().slot == 5);
}

TEST_CASE("a second twin gets the slot from the owner, the first twin keeps quiet") {
  auto before = all(h("a"), h("b"));
  ovo::holder_map after;
  after.fill({h("a"), targets{h("b"), h("c")}});
  const auto plan = plan_pushes(before, after, h("a"), data_everywhere());
  REQUIRE(plan.size() == ovo::slot_count);
  CHECK(plan.front().targets == targets{h("c")});
  CHECK(plan_pushes(before, after, h("b"), data_everywhere()).empty());
}
