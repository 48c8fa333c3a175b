#include <doctest/doctest.h>

#include "core/migration_plan.hpp"

namespace {

ovo::holder_map all(const std::string& owner, const std::string& replica) {
  ovo::holder_map map;
  map.fill({owner, replica.empty() ? std::vector<std::string>{} : std::vector<std::string>{replica}});
  return map;
}

std::array<bool, ovo::slot_count> data_everywhere() {
  std::array<bool, ovo::slot_count> has;
  has.fill(true);
  return has;
}

}  // namespace

TEST_CASE("nothing moves while the holders stay the same") {
  const auto layout = all("a#1", "b#1");
  CHECK(plan_pushes(layout, layout, "a#1", data_everywhere()).empty());
  CHECK(plan_pushes(layout, layout, "b#1", data_everywhere()).empty());
}

TEST_CASE("the old owner sends to the new owner and drops, the twin that stays keeps quiet") {
  const auto before = all("a#1", "b#1");
  const auto after = all("c#1", "b#1");
  const auto plan = plan_pushes(before, after, "a#1", data_everywhere());
  REQUIRE(plan.size() == ovo::slot_count);
  CHECK(plan.front().targets == std::vector<std::string>{"c#1"});
  CHECK(plan.front().drop_after);
  CHECK(plan_pushes(before, after, "b#1", data_everywhere()).empty());
}

TEST_CASE("after a failover the twin, now serving, gives the new twin its copy") {
  const auto plan = plan_pushes(all("a#1", "b#1"), all("b#1", "c#1"), "b#1", data_everywhere());
  REQUIRE(plan.size() == ovo::slot_count);
  CHECK(plan.front().targets == std::vector<std::string>{"c#1"});
  CHECK_FALSE(plan.front().drop_after);
}

TEST_CASE("a restarted node is a new holder: the node serving meanwhile sends the data back") {
  const auto plan = plan_pushes(all("b#1", "c#1"), all("a#2", "b#1"), "b#1", data_everywhere());
  REQUIRE(plan.size() == ovo::slot_count);
  CHECK(plan.front().targets == std::vector<std::string>{"a#2"});
  CHECK_FALSE(plan.front().drop_after);  // b stays the twin
}

TEST_CASE("a node left with data it does not hold sends it to both holders, then drops it") {
  const auto layout = all("a#1", "b#1");
  const auto plan = plan_pushes(layout, layout, "c#1", data_everywhere());
  REQUIRE(plan.size() == ovo::slot_count);
  CHECK(plan.front().targets == std::vector<std::string>{"a#1", "b#1"});
  CHECK(plan.front().drop_after);
}

TEST_CASE("slots without data here are not planned") {
  std::array<bool, ovo::slot_count> has{};
  has[5] = true;
  const auto plan = plan_pushes(all("a#1", ""), all("b#1", ""), "a#1", has);
  REQUIRE(plan.size() == 1);
  CHECK(plan.front().slot == 5);
  CHECK(ovo::holder_name("node-1#123") == "node-1");
}

TEST_CASE("a second twin gets the slot from the owner, the first twin keeps quiet") {
  auto before = all("a#1", "b#1");
  ovo::holder_map after;
  after.fill({"a#1", {"b#1", "c#1"}});
  const auto plan = plan_pushes(before, after, "a#1", data_everywhere());
  REQUIRE(plan.size() == ovo::slot_count);
  CHECK(plan.front().targets == std::vector<std::string>{"c#1"});
  CHECK(plan_pushes(before, after, "b#1", data_everywhere()).empty());
}
