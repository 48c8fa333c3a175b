// Peer down: when the connection to the peer drops, what waits for it fails at once (forwards
// with 503/"14", replica writes with an error) instead of at its timeout, the local manager
// hears (peerstate, name, false), and later commands fail fast.
//
// The drop is a closed simulated TCP connection (connection_closed_msg to each side's BASP
// broker), what a crashed peer or a cut cable causes: the proxies of the peer's actors die with
// remote_link_unreachable and the peer connection's monitor fires. A frozen peer (detected only
// by middleman heartbeats) is not simulated: the DSL fixture turns heartbeats off.

#define CAF_SUITE protocol.peer_down

#include "test/protocol/two_nodes.hpp"

using namespace ovo;
using ovo::test::has_mail;
using ovo::test::make_command;
using ovo::test::recording_sink;

namespace {

bool is_unavailable(const reply& answer) {
  const auto row = status_table(answer.code);
  return row.http == 503 && row.code == "14";
}

}  // namespace

CAF_TEST_FIXTURE_SCOPE(peer_down_tests, ovo::test::two_nodes)

CAF_TEST(waiting_forwards_and_replica_writes_fail_at_once_and_the_manager_hears_peer_down) {
  join();
  auto peer = peer_ab();
  auto sink = std::make_shared<recording_sink>();
  caf::anon_send(peer, exec_atom_v, make_command(op::get, key_served_by_b()), reply_sink_ptr{sink});
  replica_write write;
  write.record.key = key_replicated_to_b();
  earth.self->request(peer, caf::infinite, replicate_atom_v, write);
  expect_on(earth, (exec_atom, command, reply_sink_ptr), from(_).to(peer));
  expect_on(earth, (replicate_atom, replica_write), from(_).to(peer));
  auto turn_end = connection_state(peer).turn_end;
  expect_on(earth, (flush_atom, caf::actor), from(_).to(turn_end));
  expect_on(earth, (flush_atom), from(turn_end).to(peer));
  CAF_REQUIRE(connection_state(peer).forwards.in_flight());
  CAF_REQUIRE(connection_state(peer).replicas.in_flight());
  // The batches are on the wire; the connection drops before b reads them. Only earth runs
  // from here on: no answer can come, only the drop can settle what waits.
  drop_connection();
  settle_until([&] { return has_mail(peer); }, false);
  CAF_CHECK(sink->replies.empty());
  // The proxy of b's endpoint died with the link, as on a real connection loss.
  auto down = std::get<0>(extract<caf::down_msg>(peer));
  CAF_CHECK(down.reason == caf::exit_reason::remote_link_unreachable);
  expect_on(earth, (caf::down_msg), from(_).to(peer));
  // Failed within the turn that saw the drop: no timer ran (the test fires none).
  CAF_REQUIRE_EQUAL(sink->replies.size(), 1u);
  CAF_CHECK(is_unavailable(sink->replies[0]));
  auto failed = std::get<0>(extract<caf::error>(earth.self));
  CAF_CHECK(failed == caf::sec::request_receiver_down);
  expect_on(earth, (caf::error), from(peer).to(earth.self));
  expect_on(earth, (peer_state_atom, std::string, bool, caf::timespan),
            from(peer).to(a.manager).with(_, "b", false, _));
  CAF_CHECK(!manager_state(a).view->find("b")->active);
  CAF_CHECK(!connection_state(peer).remote);
}

CAF_TEST(commands_for_a_peer_that_is_down_are_answered_unavailable_without_waiting) {
  join();
  auto peer = peer_ab();
  drop_connection();
  settle_until([&] { return has_mail(peer); }, false);
  expect_on(earth, (caf::down_msg), from(_).to(peer));
  auto sink = std::make_shared<recording_sink>();
  caf::anon_send(peer, exec_atom_v, make_command(op::get, "any-key"), reply_sink_ptr{sink});
  expect_on(earth, (exec_atom, command, reply_sink_ptr), from(_).to(peer));
  CAF_REQUIRE_EQUAL(sink->replies.size(), 1u);
  CAF_CHECK(is_unavailable(sink->replies[0]));
  // Nothing was gathered for later: the connection sends nothing until it is back.
  CAF_CHECK(!connection_state(peer).forwards.gathered());
  CAF_CHECK(!has_mail(connection_state(peer).turn_end));
}

CAF_TEST_FIXTURE_SCOPE_END()
