// View merge: gossip that brings a node this manager did not know makes it connect to that
// node and send its merged view to every peer connection, which passes it on to its peer.

#define CAF_SUITE protocol.view_merge

#include "test/protocol/two_nodes.hpp"

using namespace ovo;
using ovo::test::has_mail;
using ovo::test::names_of;

namespace {

/// What b would gossip about a third node c that a has never heard of.
std::vector<node_info> gossip_about_c() { return {test::make_node("c", "venus", 4244, 3000)}; }

}  // namespace

CAF_TEST_FIXTURE_SCOPE(view_merge_tests, ovo::test::two_nodes)

CAF_TEST(gossip_with_a_new_node_reaches_the_manager_through_the_endpoint) {
  join();
  // Gossip from a peer enters a node through its endpoint, like every peer message.
  caf::anon_send(a.endpoint, caf::update_atom_v, gossip_about_c());
  expect_on(earth, (caf::update_atom, std::vector<node_info>), from(_).to(a.endpoint));
  expect_on(earth, (caf::update_atom, std::vector<node_info>), from(_).to(a.manager));
  CAF_CHECK_EQUAL(names_of(manager_state(a).view->nodes()), "a b c");
  CAF_CHECK_EQUAL(manager_state(a).peers.count("c"), 1u);
}

CAF_TEST(manager_broadcasts_the_merged_view_to_every_peer_connection) {
  join();
  auto to_b = peer_ab();
  caf::anon_send(a.endpoint, caf::update_atom_v, gossip_about_c());
  expect_on(earth, (caf::update_atom, std::vector<node_info>), from(_).to(a.endpoint));
  expect_on(earth, (caf::update_atom, std::vector<node_info>), from(_).to(a.manager));
  auto to_c = manager_state(a).peers.at("c");
  // The connection to b and the one just spawned for c each get the whole merged view.
  auto sent_to_b = std::get<1>(extract<caf::update_atom, std::vector<node_info>>(to_b));
  CAF_CHECK_EQUAL(names_of(sent_to_b), "a b c");
  expect_on(earth, (caf::update_atom, std::vector<node_info>), from(a.manager).to(to_b));
  auto sent_to_c = std::get<1>(extract<caf::update_atom, std::vector<node_info>>(to_c));
  CAF_CHECK_EQUAL(names_of(sent_to_c), "a b c");
  expect_on(earth, (caf::update_atom, std::vector<node_info>), from(a.manager).to(to_c));
  // c is not reachable on the simulated network: its connection stays down (and only retries
  // on a timer these tests never fire), so it drops the view instead of sending it.
  CAF_CHECK(!connection_state(to_c).remote);
}

CAF_TEST(the_connected_peer_passes_the_merged_view_on_to_the_remote_manager) {
  join();
  caf::anon_send(a.endpoint, caf::update_atom_v, gossip_about_c());
  settle_until([&] { return has_mail(b.endpoint); });
  auto arrived = std::get<1>(extract<caf::update_atom, std::vector<node_info>>(b.endpoint));
  CAF_CHECK_EQUAL(names_of(arrived), "a b c");
  expect_on(mars, (caf::update_atom, std::vector<node_info>), from(_).to(b.endpoint));
  expect_on(mars, (caf::update_atom, std::vector<node_info>), from(_).to(b.manager));
  // b merged c in turn: a node b never contacted, known only through a.
  CAF_CHECK(manager_state(b).view->find("c") != nullptr);
  CAF_CHECK_EQUAL(manager_state(b).peers.count("c"), 1u);
}

CAF_TEST(gossip_without_news_changes_nothing_and_is_not_broadcast) {
  join();
  auto to_b = peer_ab();
  caf::anon_send(a.endpoint, caf::update_atom_v, manager_state(b).view->nodes());
  expect_on(earth, (caf::update_atom, std::vector<node_info>), from(_).to(a.endpoint));
  expect_on(earth, (caf::update_atom, std::vector<node_info>), from(_).to(a.manager));
  // Nothing new: no broadcast, so gossip between two nodes that agree comes to rest.
  CAF_CHECK(!has_mail(to_b));
  CAF_CHECK_EQUAL(names_of(manager_state(a).view->nodes()), "a b");
}

CAF_TEST_FIXTURE_SCOPE_END()
