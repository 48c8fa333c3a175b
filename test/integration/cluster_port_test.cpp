// What a node publishes on its APIPort: only the peer protocol and the way to the admin actor.
// The cluster manager's admin and internal messages, sent there by a stranger speaking CAF,
// are refused and change nothing.

#include "actors/interfaces.hpp"
#include "test/integration/caf_client.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

using namespace ovo::test;
using namespace std::chrono_literals;

TEST_CASE(
    "the APIPort refuses the cluster manager's admin and internal messages, and the node stays "
    "unchanged") {
  test_cluster c(2);
  REQUIRE(c.converged({0, 1}, 2));
  REQUIRE(c.put(0, "k", "v").status == 200);
  const auto view_before = c.view(0);
  caf_client stranger;
  auto endpoint = stranger.published_at(c.api_ports[0]);
  REQUIRE(endpoint);
  // The admin part of the manager, not published: leave, a rebalance pass, join a seed.
  CHECK(stranger.refusal_of(endpoint, ovo::leave_atom_v) == caf::sec::unexpected_message);
  CHECK(stranger.refusal_of(endpoint, ovo::rebalance_atom_v, caf::get_atom_v) ==
        caf::sec::unexpected_message);
  CHECK(stranger.refusal_of(endpoint, caf::join_atom_v, std::string("127.0.0.1"), uint16_t{1}) ==
        caf::sec::unexpected_message);
  // Its internal part: a peer going down, a removal, REST's cluster query.
  CHECK(stranger.refusal_of(endpoint, ovo::peer_state_atom_v, test_cluster::name(1), false,
                            caf::timespan{0}) == caf::sec::unexpected_message);
  CHECK(stranger.refusal_of(endpoint, ovo::remove_atom_v, test_cluster::name(1), int64_t{0}) ==
        caf::sec::unexpected_message);
  ovo::command query;
  query.kind = ovo::op::cluster_view;
  CHECK(stranger.refusal_of(endpoint, ovo::exec_atom_v, query) == caf::sec::unexpected_message);
  // The peer part is served (a forwarded read), and ovoctl's way to the admin actor works.
  ovo::command read;
  read.kind = ovo::op::get;
  read.key = "k";
  CHECK(stranger.answer_of<ovo::reply>(endpoint, caf::forward_atom_v, read).data == "v");
  CHECK(stranger.answer_of<ovo::admin_actor>(endpoint, ovo::admin_atom_v, std::string()));
  CHECK(c.view(0) == view_before);
  CHECK(c.view(1) == view_before);
  CHECK(c.value_of(0, "k") == "v");
  CHECK(c.value_of(1, "k") == "v");
}

TEST_CASE(
    "a peer introducing itself with another cluster protocol version is refused with a log "
    "line, and the view stays unchanged") {
  test_cluster c(2);
  REQUIRE(c.converged({0, 1}, 2));
  const auto view_before = c.view(0);
  caf_client stranger;
  auto endpoint = stranger.published_at(c.api_ports[0]);
  REQUIRE(endpoint);
  ovo::node_info future;
  future.name = "node-from-the-future";
  future.api_host = "127.0.0.1";
  future.api_port = 1;
  CHECK(stranger.refusal_of(endpoint, caf::join_atom_v, ovo::cluster_protocol_version + 1,
                            future) == caf::sec::invalid_argument);
  CHECK(c.log_count({0},
                    "refused node-from-the-future at 127.0.0.1:1: it speaks cluster "
                    "protocol " +
                        std::to_string(ovo::cluster_protocol_version + 1)) == 1);
  CHECK(c.view(0) == view_before);
  CHECK(c.view(1) == view_before);
}
