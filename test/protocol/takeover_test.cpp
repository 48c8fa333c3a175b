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

#include <optional>

using namespace ovo;
using ovo::test::has_mail;
using ovo::test::write_of;

namespace {

constexpr int64_t notice = 7;  ///< b's link change for a when it sent the notice

/// The epoch of the layout `node` installed: a notice stamped with it names the owners of the
/// layout a serves by.
uint64_t installed_epoch(ovo::test::two_nodes& t, const ovo::test::node_actors& node) {
  return t.manager_state(node).acceptor->installed().epoch;
}

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
                      std::vector<std::string>(slot_count, "b"), installed_epoch(*this, a), notice);
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
                      std::vector<std::string>(slot_count, "b"), installed_epoch(*this, a), notice);
  settle();
  expect_on(earth, (bool), from(a.manager).to(earth.self).with(true));
  CAF_CHECK_EQUAL(taker.taken_over.count("a"), 1u);
}

namespace {

/// a holds `key` ("stale", written before), then b tells it that by b's layout of epoch
/// `taker_epoch` (by default the one a installed) `owner` serves every slot.
void stale_copy_then_notice_naming(ovo::test::two_nodes& t, const std::string& key,
                                   const std::string& owner,
                                   std::optional<uint64_t> taker_epoch = std::nullopt) {
  const auto& shard = t.a.shard_for(key);
  t.earth.self->request(shard, caf::infinite, replicate_atom_v, write_of(key, "stale", 1));
  t.settle();
  expect_on(t.earth, (bool), from(shard).to(t.earth.self));
  t.earth.self->request(t.a.manager, caf::infinite, takeover_atom_v, std::string("b"),
                        std::vector<std::string>(slot_count, owner),
                        taker_epoch.value_or(installed_epoch(t, t.a)), notice);
  t.settle();
  expect_on(t.earth, (bool), from(t.a.manager).to(t.earth.self));
}

/// stale_copy_then_notice_naming, where the notice names `owner` the server of every slot a
/// holds: their windows open distrusted, naming `owner`.
void stale_copy_then_notice(ovo::test::two_nodes& t, const std::string& key,
                            const std::string& owner) {
  stale_copy_then_notice_naming(t, key, owner);
  CAF_REQUIRE(t.manager_state(t.a).arrivals[static_cast<std::size_t>(slot_of(key))].open);
}

/// Whether a's copy of `key`'s slot arrives again, distrusted (read back from another node).
bool distrusted_on_a(ovo::test::two_nodes& t, const std::string& key) {
  const auto& arrival = t.manager_state(t.a).arrivals[static_cast<std::size_t>(slot_of(key))];
  return arrival.open && arrival.distrusted;
}

/// A layout of `epoch` in which a owns every slot, b holding the replicas.
agreed_layout everything_owned_by_a(uint64_t epoch) {
  agreed_layout layout;
  layout.epoch = epoch;
  layout.members = {"a", "b"};
  layout.owners.assign(slot_count, "a");
  layout.replicas.assign(slot_count, {"b"});
  return layout;
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

CAF_TEST(a_slot_the_takers_layout_gives_back_to_the_told_node_is_not_read_back) {
  // The cluster agreed to give the slot back to a, which has served it since: what writes were
  // acknowledged on since is a's copy, and the taker's, read back, would undo them.
  join();
  const auto key = key_replicated_to_b();
  stale_copy_then_notice_naming(*this, key, "a");
  CAF_CHECK(!distrusted_on_a(*this, key));
  CAF_CHECK_EQUAL(copy_of(a, key).record.value, "stale");
}

CAF_TEST(a_notice_from_a_taker_behind_the_told_node_is_read_by_the_told_nodes_newer_layout) {
  // b's notice names b, by a layout older than the one a installed since, in which a owns
  // every slot: a keeps its copies.
  join();
  const auto key = key_replicated_to_b();
  const auto newer = installed_epoch(*this, a) + 50;
  CAF_REQUIRE(manager_state(a).acceptor->learn(everything_owned_by_a(newer)));
  stale_copy_then_notice_naming(*this, key, "b", newer - 1);
  CAF_CHECK(!distrusted_on_a(*this, key));
  CAF_CHECK_EQUAL(copy_of(a, key).record.value, "stale");
  // The same notice by a layout newer than a's: a reads the slot back from b.
  stale_copy_then_notice_naming(*this, key, "b", newer + 1);
  CAF_CHECK(distrusted_on_a(*this, key));
}

CAF_TEST_FIXTURE_SCOPE_END()
