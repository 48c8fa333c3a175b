// Takeover notice: a node told it was taken over acknowledges through its own connection to the
// taker, behind every replica write that connection gathered before (docs/cluster.md, "A node
// that was taken over learns it"). The taker refuses those writes until the acknowledgement,
// so a write applied under the old layout is never confirmed after the taker counts the told
// node as serving again.
//
// Here b stands for the taker: its manager is set up as after taking a over with the link
// back up (b's own connection to a cannot exist on the test network, where only b listens).
// The test's actor sends a the notice b's manager would send.

#define CAF_SUITE protocol.takeover

#include "core/slot_hash.hpp"
#include "core/slot_layout.hpp"
#include "test/protocol/two_nodes.hpp"

using namespace ovo;
using ovo::test::has_mail;
using ovo::test::write_of;

namespace {

constexpr int64_t notice = 7;  ///< b's link change for a when it sent the notice

}  // namespace

CAF_TEST_FIXTURE_SCOPE(takeover_tests, ovo::test::two_nodes)

CAF_TEST(the_acknowledgement_follows_the_gathered_replica_writes_which_the_taker_refuses) {
  join();
  auto& taker = manager_state(b);
  taker.taken_over.insert("a");
  taker.links_up.insert("a");
  taker.link_changes["a"] = notice;
  const auto key = key_replicated_to_b();
  auto peer = peer_ab();
  // Two writes a applied before the notice: the first is on its way to b, the second waits
  // behind it in a's connection (one batch in flight at a time).
  earth.self->request(peer, caf::infinite, replicate_atom_v, write_of(key, "before-1", 1));
  settle_until([&] { return connection_state(peer).replicas.in_flight(); }, false);
  earth.self->request(peer, caf::infinite, replicate_atom_v, write_of(key, "before-2", 2));
  settle_until([&] { return connection_state(peer).replicas.gathered(); }, false);

  earth.self->request(a.manager, caf::infinite, takeover_atom_v, std::string("b"),
                      std::vector<std::string>(slot_count, "b"), notice);
  settle();

  // a answered the notice once it had sent its acknowledgement through its connection, and
  // both writes came back refused: the taker stored neither, yet counts a as serving again.
  expect_on(earth, (bool), from(a.manager).to(earth.self).with(true));
  for (int i = 0; i < 2; ++i) {  // braces: expect_on expands to two statements
    expect_on(earth, (caf::error), from(peer).to(earth.self));
  }
  CAF_CHECK_EQUAL(taker.taken_over.count("a"), 0u);

  // b's copy of the key holds neither write.
  const auto stored = b_copy_of(key);
  CAF_CHECK_NOT_EQUAL(stored.record.value, "before-1");
  CAF_CHECK_NOT_EQUAL(stored.record.value, "before-2");
}

CAF_TEST(an_acknowledgement_for_an_older_link_change_leaves_the_told_node_taken_over) {
  join();
  auto& taker = manager_state(b);
  taker.taken_over.insert("a");
  taker.links_up.insert("a");
  taker.link_changes["a"] = notice + 1;  // the link flapped after the notice was sent
  earth.self->request(a.manager, caf::infinite, takeover_atom_v, std::string("b"),
                      std::vector<std::string>(slot_count, "b"), notice);
  settle();
  expect_on(earth, (bool), from(a.manager).to(earth.self).with(true));
  CAF_CHECK_EQUAL(taker.taken_over.count("a"), 1u);
}

namespace {

/// a holds `key` ("stale", written before), then learns from a notice that `owner` served every
/// slot while it was cut off: the windows of a's slots open distrusted, naming `owner`.
void stale_copy_then_notice(ovo::test::two_nodes& t, const std::string& key,
                            const std::string& owner) {
  const auto& shard = t.a.shard_for(key);
  t.earth.self->request(shard, caf::infinite, replicate_atom_v, write_of(key, "stale", 1));
  t.settle();
  expect_on(t.earth, (bool), from(shard).to(t.earth.self));
  t.earth.self->request(t.a.manager, caf::infinite, takeover_atom_v, std::string("b"),
                        std::vector<std::string>(slot_count, owner), notice);
  t.settle();
  expect_on(t.earth, (bool), from(t.a.manager).to(t.earth.self));
  CAF_REQUIRE(t.manager_state(t.a).arrivals[static_cast<std::size_t>(slot_of(key))].open);
}

/// b sends a the last (empty) chunk of the objects of `key`'s slot, from a whole copy. a knows
/// the sender's node as b's, as from b's own join (on the test network only b listens).
void whole_last_chunk_from_b(ovo::test::two_nodes& t, const std::string& key) {
  t.manager_state(t.a).peer_nodes[t.mars.sys.node()] = "b";
  t.mars.self->request(t.a.manager, caf::infinite, migrate_atom_v, slot_of(key), false, true, true,
                       t.a.routing->current()->epoch, std::vector<replica_write>{});
  t.settle();
  expect_on(t.mars, (bool), from(t.a.manager).to(t.mars.self).with(true));
}

}  // namespace

CAF_TEST(the_whole_copy_of_the_owner_a_takeover_notice_named_drops_what_it_lacks) {
  join();
  const auto key = key_replicated_to_b();
  stale_copy_then_notice(*this, key, "b");
  CAF_CHECK_EQUAL(copy_of(a, key).record.value, "stale");
  whole_last_chunk_from_b(*this, key);
  CAF_CHECK(copy_of(a, key).erase);
}

CAF_TEST(a_whole_copy_from_a_node_the_notice_did_not_name_drops_nothing) {
  join();
  const auto key = key_replicated_to_b();
  stale_copy_then_notice(*this, key, "c");  // c served the slot, b merely has a copy
  whole_last_chunk_from_b(*this, key);
  CAF_CHECK_EQUAL(copy_of(a, key).record.value, "stale");
}

CAF_TEST_FIXTURE_SCOPE_END()
