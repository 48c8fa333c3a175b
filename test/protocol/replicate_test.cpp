// Replicate: a shard's (replicate, write) to the connection of the key's twin travels as a batch
// (replicate, id, [writes]) to the twin's endpoint, is stored in the twin's shard, and the one
// ack (replicate, id, true) answers the shard's request.

#define CAF_SUITE protocol.replicate

#include "core/slot_hash.hpp"
#include "core/slot_layout.hpp"
#include "test/protocol/two_nodes.hpp"

using namespace ovo;
using ovo::test::has_mail;
using ovo::test::write_of;

CAF_TEST_FIXTURE_SCOPE(replicate_tests, ovo::test::two_nodes)

CAF_TEST(a_replica_write_travels_as_a_batch_and_its_ack_answers_the_request) {
  join();
  const auto key = key_replicated_to_b();
  auto peer = peer_ab();
  // The test's actor stands in for a's shard, which asks exactly this after a write.
  earth.self->send(peer, replicate_atom_v, write_of(key, "r1"));
  expect_on(earth, (replicate_atom, replica_write), from(_).to(peer));
  auto turn_end = connection_state(peer).turn_end;
  expect_on(earth, (flush_atom, caf::actor), from(_).to(turn_end));
  expect_on(earth, (flush_atom), from(turn_end).to(peer));
  CAF_CHECK(connection_state(peer).replicas.in_flight());
  settle_until([&] { return has_mail(b.endpoint); });
  auto [atom, batch, epoch, writes] =
      extract<replicate_atom, uint64_t, uint64_t, std::vector<replica_write>>(b.endpoint);
  CAF_REQUIRE_EQUAL(writes.size(), 1u);
  CAF_CHECK_EQUAL(writes[0].record.key, key);
  expect_on(mars, (replicate_atom, uint64_t, uint64_t, std::vector<replica_write>),
            from(_).to(b.endpoint).with(_, batch, _, _));
  expect_on(mars, (replicate_atom, uint64_t, uint64_t, std::vector<replica_write>),
            from(_).to(b.manager).with(_, batch, _, _));
  // b's manager hands the write to the key's shard and acks once it is stored.
  settle_until([&] { return has_mail(peer); });
  expect_on(earth, (replicate_atom, uint64_t, bool), from(_).to(peer).with(_, batch, true));
  CAF_CHECK(!connection_state(peer).replicas.in_flight());
}

CAF_TEST(the_ack_answers_the_shard_request_with_true_and_the_twin_holds_the_write) {
  join();
  const auto key = key_replicated_to_b();
  auto peer = peer_ab();
  earth.self->request(peer, caf::infinite, replicate_atom_v, write_of(key, "r1"));
  settle_until([&] { return has_mail(earth.self); });
  expect_on(earth, (bool), from(peer).to(earth.self).with(true));
  const auto stored = b_copy_of(key);
  CAF_CHECK(!stored.erase);
  CAF_CHECK_EQUAL(stored.record.value, "r1");
}

CAF_TEST(writes_that_arrive_together_share_one_batch_and_one_ack) {
  join();
  const auto key = key_replicated_to_b();
  auto peer = peer_ab();
  for (uint64_t version : {1, 2, 3})
    earth.self->request(peer, caf::infinite, replicate_atom_v,
                        write_of(key, "r" + std::to_string(version), version));
  settle_until([&] { return has_mail(b.endpoint); });
  auto writes = std::get<3>(
      extract<replicate_atom, uint64_t, uint64_t, std::vector<replica_write>>(b.endpoint));
  CAF_REQUIRE_EQUAL(writes.size(), 3u);
  CAF_CHECK_EQUAL(writes[2].record.value, "r3");  // in the order written
  settle();
  // Braces: expect_on expands to two statements.
  for (int i = 0; i < 3; ++i) {
    expect_on(earth, (bool), from(peer).to(earth.self).with(true));
  }
  CAF_CHECK(!has_mail(earth.self));
}

CAF_TEST_FIXTURE_SCOPE_END()
