// How the dashboard shows a member (core/cluster_figures.hpp).

#include "core/cluster_figures.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace ovo;

TEST_CASE("a member is down when inactive or silent, else leaving, witness or up") {
  node_figures up;
  up.answered = true;
  CHECK(state_of(up) == member_state::up);
  CHECK(state_of(node_figures{}) == member_state::down);  // did not answer
  auto inactive = up;
  inactive.node.active = false;
  CHECK(state_of(inactive) == member_state::down);
  auto leaving = up;
  leaving.node.leaving = true;
  CHECK(state_of(leaving) == member_state::leaving);
  auto witness = up;
  witness.node.witness = true;
  CHECK(state_of(witness) == member_state::witness);
  CHECK(std::string(state_name(member_state::down)) == "down");
}
