// Forward: commands for a key another node owns reach its peer connection as (exec, command,
// sink), travel together as one (forward, id, [commands]) to that node's endpoint, and its
// one answer (forward, id, [replies]) reaches each sink in order.

#define CAF_SUITE protocol.forward

#include "test/protocol/two_nodes.hpp"

using namespace ovo;
using ovo::test::has_mail;
using ovo::test::make_command;
using ovo::test::recording_sink;

CAF_TEST_FIXTURE_SCOPE(forward_tests, ovo::test::two_nodes)

CAF_TEST(commands_that_arrive_together_travel_as_one_batch_and_their_replies_reach_the_sinks) {
  join();
  const auto key = key_served_by_b();
  auto peer = peer_ab();
  // One sink per command (one per HTTP request), so each reply must reach its own.
  auto put_sink = std::make_shared<recording_sink>();
  auto get_sink = std::make_shared<recording_sink>();
  // As the REST layer sends them: without a sender, the answer goes to the sink.
  caf::anon_send(peer, exec_atom_v, make_command(op::put, key, "v1"), reply_sink_ptr{put_sink});
  caf::anon_send(peer, exec_atom_v, make_command(op::get, key), reply_sink_ptr{get_sink});
  expect_on(earth, (exec_atom, command, reply_sink_ptr), from(_).to(peer));
  expect_on(earth, (exec_atom, command, reply_sink_ptr), from(_).to(peer));
  // The first command asked for a flush at the end of the scheduler's queue (turn_end sends
  // it back); the second joined the batch meanwhile. Nothing went to b yet.
  auto turn_end = connection_state(peer).turn_end;
  CAF_CHECK(connection_state(peer).forwards.gathered());
  expect_on(earth, (flush_atom, caf::actor), from(_).to(turn_end));
  expect_on(earth, (flush_atom), from(turn_end).to(peer));
  CAF_CHECK(connection_state(peer).forwards.in_flight());
  settle_until([&] { return has_mail(b.endpoint); });
  auto [atom, batch, epoch, commands] =
      extract<caf::forward_atom, uint64_t, uint64_t, std::vector<command>>(b.endpoint);
  CAF_REQUIRE_EQUAL(commands.size(), 2u);
  CAF_CHECK(commands[0].kind == op::put && commands[1].kind == op::get);
  CAF_CHECK_EQUAL(commands[1].key, key);
  expect_on(mars, (caf::forward_atom, uint64_t, uint64_t, std::vector<command>),
            from(_).to(b.endpoint).with(_, batch, _, _));
  expect_on(mars, (caf::forward_atom, uint64_t, uint64_t, std::vector<command>),
            from(_).to(b.manager).with(_, batch, _, _));
  CAF_CHECK(put_sink->replies.empty() && get_sink->replies.empty());
  // b's shard runs both, in order; one message carries both replies back.
  settle_until([&] { return has_mail(peer); });
  auto replies = std::get<2>(extract<caf::forward_atom, uint64_t, std::vector<reply>>(peer));
  CAF_CHECK_EQUAL(replies.size(), 2u);
  expect_on(earth, (caf::forward_atom, uint64_t, std::vector<reply>),
            from(_).to(peer).with(_, batch, _));
  CAF_REQUIRE_EQUAL(put_sink->replies.size(), 1u);
  CAF_REQUIRE_EQUAL(get_sink->replies.size(), 1u);
  CAF_CHECK(put_sink->replies[0].code == status::ok);
  CAF_CHECK(put_sink->replies[0].data.empty());
  CAF_CHECK(get_sink->replies[0].code == status::ok);
  CAF_CHECK_EQUAL(get_sink->replies[0].data, "v1");  // the get saw the put: order kept
  CAF_CHECK(!connection_state(peer).forwards.in_flight());
}

CAF_TEST(a_command_arriving_while_a_batch_is_unanswered_waits_and_goes_with_the_answer) {
  join();
  const auto key = key_served_by_b();
  auto peer = peer_ab();
  auto sink = std::make_shared<recording_sink>();
  caf::anon_send(peer, exec_atom_v, make_command(op::put, key, "v1"), reply_sink_ptr{sink});
  expect_on(earth, (exec_atom, command, reply_sink_ptr), from(_).to(peer));
  auto turn_end = connection_state(peer).turn_end;
  expect_on(earth, (flush_atom, caf::actor), from(_).to(turn_end));
  expect_on(earth, (flush_atom), from(turn_end).to(peer));
  // The first batch is on its way: the next command is gathered, with no flush of its own.
  caf::anon_send(peer, exec_atom_v, make_command(op::get, key), reply_sink_ptr{sink});
  expect_on(earth, (exec_atom, command, reply_sink_ptr), from(_).to(peer));
  CAF_CHECK(!has_mail(turn_end));
  CAF_CHECK(connection_state(peer).forwards.gathered());
  // The answer to the first batch sends the second one, from the same turn.
  settle_until([&] { return has_mail(peer); });
  expect_on(earth, (caf::forward_atom, uint64_t, std::vector<reply>), from(_).to(peer));
  CAF_CHECK_EQUAL(sink->replies.size(), 1u);
  CAF_CHECK(!connection_state(peer).forwards.gathered());
  CAF_CHECK(connection_state(peer).forwards.in_flight());
  settle();
  CAF_REQUIRE_EQUAL(sink->replies.size(), 2u);
  CAF_CHECK_EQUAL(sink->replies[1].data, "v1");
}

CAF_TEST(a_bulk_requests_commands_for_one_owner_travel_as_one_forward_message) {
  join();
  const auto key = key_served_by_b();
  auto peer = peer_ab();
  // As local_node::route_many sends them: one message, one sink per command.
  std::vector<std::shared_ptr<recording_sink>> sinks;
  std::vector<reply_sink_ptr> handed;
  for (int i = 0; i < 3; ++i) {
    sinks.push_back(std::make_shared<recording_sink>());
    handed.push_back(sinks.back());
  }
  std::vector<command> commands{make_command(op::put, key, "v1"), make_command(op::get, key),
                                make_command(op::put, key, "v2")};
  caf::anon_send(peer, exec_atom_v, std::move(commands), std::move(handed));
  expect_on(earth, (exec_atom, std::vector<command>, std::vector<reply_sink_ptr>),
            from(_).to(peer));
  auto turn_end = connection_state(peer).turn_end;
  expect_on(earth, (flush_atom, caf::actor), from(_).to(turn_end));
  expect_on(earth, (flush_atom), from(turn_end).to(peer));
  settle_until([&] { return has_mail(b.endpoint); });
  auto [atom, batch, epoch, sent] =
      extract<caf::forward_atom, uint64_t, uint64_t, std::vector<command>>(b.endpoint);
  CAF_REQUIRE_EQUAL(sent.size(), 3u);  // all three in the one message
  CAF_CHECK(sent[0].kind == op::put && sent[1].kind == op::get && sent[2].kind == op::put);
  settle();
  for (const auto& sink : sinks) CAF_REQUIRE_EQUAL(sink->replies.size(), 1u);
  CAF_CHECK_EQUAL(sinks[1]->replies[0].data, "v1");  // in order: the get saw the first put
  CAF_CHECK(sinks[2]->replies[0].code == status::ok);
}

CAF_TEST(a_command_for_a_peer_still_being_reached_the_first_time_waits_for_the_link_not_503) {
  // As on a node that learned of a joiner by gossip: its layout routes the joiner's slots to
  // the connection before that connection's first attempt to reach the joiner is done.
  start_a();
  while (step(false)) {
    // a's manager spawned its connection to b, which cannot finish while b does not run
  }
  auto peer = peer_ab();
  CAF_REQUIRE(!connection_state(peer).remote);
  const auto key = key_b_keeps_once_joined();
  auto sink = std::make_shared<recording_sink>();
  caf::anon_send(peer, exec_atom_v, make_command(op::get, key), reply_sink_ptr{sink});
  while (step(false)) {
    // earth alone: the command must wait for the link, not fail
  }
  CAF_CHECK(sink->replies.empty());
  CAF_CHECK(connection_state(peer).forwards.gathered());
  settle();  // b runs: the link comes up and the waiting command goes to b, which answers it
  CAF_REQUIRE(connection_state(peer).remote);
  CAF_REQUIRE_EQUAL(sink->replies.size(), 1u);
  CAF_CHECK_EQUAL(status_table(sink->replies[0].code).http, 404);  // b's answer: no such key
}

CAF_TEST_FIXTURE_SCOPE_END()
