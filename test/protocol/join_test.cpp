// Join: a's peer connection reaches b through the middleman, introduces a to b's cluster
// endpoint, and reports b's view and b's state to a's cluster manager.
//
// The connection goes through the real middleman (its connect request, BASP handshake and
// proxies) over the DSL's test multiplexer rather than being handed b's endpoint directly:
// peer_connection always asks the middleman (it has no way to take a handle), and the test
// multiplexer keeps that deterministic.

#define CAF_SUITE protocol.join

#include "test/protocol/two_nodes.hpp"

using namespace ovo;
using ovo::test::has_mail;
using ovo::test::names_of;

CAF_TEST_FIXTURE_SCOPE(join_tests, ovo::test::two_nodes)

CAF_TEST(peer_connection_asks_the_middleman_for_the_seed_address) {
  start_a();
  auto middleman = earth.mm.actor_handle();
  settle_until([&] { return has_mail(middleman); });
  // a's cluster manager spawned the connection to its seed when it first ran.
  auto peer = peer_ab();
  expect_on(earth, (caf::connect_atom, std::string, uint16_t),
            from(peer).to(middleman).with(_, "mars", test::b_api_port));
  CAF_CHECK(connection_state(peer).connecting);
  CAF_CHECK(!connection_state(peer).remote);
}

CAF_TEST(join_goes_through_the_endpoint_to_the_manager_which_answers_its_view) {
  start_a();
  settle_until([&] { return has_mail(b.endpoint); });
  auto peer = peer_ab();
  // The first message b receives from a is the introduction, with a's facts.
  const auto introduction = extract<caf::join_atom, uint32_t, node_info>(b.endpoint);
  CAF_CHECK_EQUAL(std::get<1>(introduction), ovo::cluster_protocol_version);
  auto joiner = std::get<2>(introduction);
  CAF_CHECK_EQUAL(joiner.name, "a");
  CAF_CHECK_EQUAL(joiner.api_port, 4243u);
  // The endpoint passes it on unchanged; the manager adds a to its view and answers it.
  expect_on(mars, (caf::join_atom, uint32_t, node_info), from(_).to(b.endpoint));
  expect_on(mars, (caf::join_atom, uint32_t, node_info), from(_).to(b.manager));
  CAF_CHECK(manager_state(b).view->find("a") != nullptr);
  settle_until([&] { return has_mail(peer); });
  auto view = std::get<0>(extract<std::vector<node_info>>(peer));
  CAF_CHECK_EQUAL(names_of(view), "b a");
  expect_on(earth, (std::vector<node_info>), from(_).to(peer));
  CAF_CHECK(connection_state(peer).remote);
}

CAF_TEST(after_the_answer_the_local_manager_gets_the_view_then_the_peer_up) {
  start_a();
  settle_until([&] { return has_mail(b.endpoint); });
  auto peer = peer_ab();
  settle_until([&] { return has_mail(peer); });  // b's answer
  expect_on(earth, (std::vector<node_info>), from(_).to(peer));
  // Both go to a's manager right away, view first: the manager knows b before b counts as up.
  auto reported = std::get<1>(extract<caf::update_atom, std::vector<node_info>>(a.manager));
  CAF_CHECK_EQUAL(names_of(reported), "b a");
  expect_on(earth, (caf::update_atom, std::vector<node_info>), from(peer).to(a.manager));
  expect_on(earth, (peer_state_atom, std::string, bool, caf::timespan),
            from(peer).to(a.manager).with(_, "b", true, caf::timespan{0}));
  const auto* known_b = manager_state(a).view->find("b");
  CAF_REQUIRE(known_b != nullptr);
  CAF_CHECK(known_b->active);
  // a's routing now sends some slots to b through this connection.
  settle();
  auto routing = a.routing->current();
  const auto routed_to_b =
      std::count(routing->remote_owner.begin(), routing->remote_owner.end(), peer);
  CAF_CHECK_GREATER(routed_to_b, 0);
}

CAF_TEST_FIXTURE_SCOPE_END()
