// Epoch stamps: a peer connection stamps its batches and slot pushes with the layout epoch its
// node serves by. A holder that installed a newer layout refuses replica writes and slot pushes
// stamped older when the slot's placement may have changed since, stores them when the newer
// layouts only listed lagging holders, serves stamped forwards by its own layout, and sends the
// sender its layout either way.

#define CAF_SUITE protocol.epoch_stamp

#include "core/slot_hash.hpp"
#include "core/slot_layout.hpp"
#include "test/protocol/two_nodes.hpp"

using namespace ovo;
using ovo::test::has_mail;
using ovo::test::write_of;

namespace {

/// Brings the test's two nodes to where b installed a layout that a has not learned yet. By
/// default that is b's first layout, so every slot counts as placed since its epoch. With
/// `only_lagging_listed`, both install a layout first and b then one more with the same
/// placement and a lagging holder listed.
struct b_ahead : ovo::test::two_nodes {
  explicit b_ahead(bool only_lagging_listed = false) {
    join();
    auto newer = manager_state(b).view->wanted_layout();
    newer.epoch = std::max(manager_state(a).acceptor->installed().epoch,
                           manager_state(b).acceptor->installed().epoch) +
                  1;
    if (only_lagging_listed) {
      mars.self->send(a.manager, layout_atom_v, newer);
      mars.self->send(b.manager, layout_atom_v, newer);
      settle();
      CAF_REQUIRE_EQUAL(manager_state(a).acceptor->installed().epoch, newer.epoch);
      ++newer.epoch;
      newer.lagging.resize(ovo::slot_count);
      newer.lagging[static_cast<std::size_t>(slot_of(key_replicated_to_b()))] = {"b"};
    }
    mars.self->send(b.manager, layout_atom_v, newer);
    settle();
    CAF_REQUIRE_EQUAL(manager_state(b).acceptor->installed().epoch, newer.epoch);
    CAF_REQUIRE(manager_state(a).acceptor->installed().epoch < newer.epoch);
  }

  uint64_t epoch_of(const ovo::test::node_actors& node) { return node.routing->current()->epoch; }

  /// What b's shard of `key` holds for it, "<absent>" when nothing.
  std::string held_by_b(const std::string& key) {
    const auto stored = b_copy_of(key);
    return stored.erase ? "<absent>" : stored.record.value;
  }
};

}  // namespace

CAF_TEST_FIXTURE_SCOPE(epoch_stamp_tests, b_ahead)

CAF_TEST(replica_writes_stamped_with_an_older_epoch_are_refused_and_the_sender_is_sent_the_layout) {
  const auto key = key_replicated_to_b();
  auto peer = peer_ab();
  earth.self->request(peer, caf::infinite, replicate_atom_v, write_of(key, "stale", 1));
  settle_until([&] { return has_mail(b.endpoint); });
  const auto stamp = std::get<2>(
      extract<replicate_atom, uint64_t, uint64_t, std::vector<replica_write>>(b.endpoint));
  CAF_CHECK_EQUAL(stamp, epoch_of(a));
  CAF_CHECK(stamp < epoch_of(b));
  settle();
  // The shard's request fails (it does not count b as a copy), b stored nothing, and b sent its
  // layout to its connection to a (in this simulation a publishes no endpoint: the test hands
  // it over below, as the connection would).
  expect_on(earth, (caf::error), from(peer).to(earth.self));
  CAF_CHECK_EQUAL(held_by_b(key), "<absent>");
  CAF_CHECK(manager_state(b).told_newer_layout.count("a") == 1);

  earth.self->send(a.manager, layout_atom_v, manager_state(b).acceptor->installed());
  settle();
  CAF_REQUIRE_EQUAL(epoch_of(a), epoch_of(b));
  earth.self->request(peer, caf::infinite, replicate_atom_v, write_of(key, "current", 2));
  settle();
  expect_on(earth, (bool), from(peer).to(earth.self).with(true));
  CAF_CHECK_EQUAL(held_by_b(key), "current");
}

CAF_TEST(a_slot_push_stamped_with_an_older_epoch_is_refused_with_both_epochs_named) {
  const auto key = key_replicated_to_b();
  auto peer = peer_ab();
  earth.self->request(peer, caf::infinite, migrate_atom_v, slot_of(key), false, true, true,
                      std::vector<replica_write>{write_of(key, "pushed", 1)});
  settle();
  auto refusal = std::get<0>(extract<caf::error>(earth.self));
  const auto why = earth.sys.render(refusal);
  CAF_CHECK(why.find("serves by layout epoch " + std::to_string(epoch_of(a))) != std::string::npos);
  CAF_CHECK(why.find("installed " + std::to_string(epoch_of(b))) != std::string::npos);
  expect_on(earth, (caf::error), from(peer).to(earth.self));
  CAF_CHECK_EQUAL(held_by_b(key), "<absent>");
}

CAF_TEST(forwarded_commands_stamped_with_an_older_epoch_are_served_by_the_receivers_layout) {
  const auto key = key_served_by_b();
  auto peer = peer_ab();
  auto sink = std::make_shared<ovo::test::recording_sink>();
  caf::anon_send(peer, exec_atom_v, ovo::test::make_command(op::put, key, "forwarded"),
                 reply_sink_ptr{sink});
  settle();
  CAF_REQUIRE_EQUAL(sink->replies.size(), 1u);
  CAF_CHECK(sink->replies[0].code == status::ok);
  CAF_CHECK(manager_state(b).told_newer_layout.count("a") == 1);
}

CAF_TEST_FIXTURE_SCOPE_END()

namespace {

struct b_ahead_by_a_lagging_list : b_ahead {
  b_ahead_by_a_lagging_list() : b_ahead(true) {}
};

}  // namespace

CAF_TEST_FIXTURE_SCOPE(lagging_list_stamp_tests, b_ahead_by_a_lagging_list)

CAF_TEST(replica_writes_stamped_before_a_layout_that_only_listed_a_lagging_holder_are_stored) {
  const auto key = key_replicated_to_b();
  auto peer = peer_ab();
  earth.self->request(peer, caf::infinite, replicate_atom_v, write_of(key, "kept", 1));
  settle();
  expect_on(earth, (bool), from(peer).to(earth.self).with(true));
  CAF_CHECK_EQUAL(held_by_b(key), "kept");
  CAF_CHECK(epoch_of(a) < epoch_of(b));
  CAF_CHECK(manager_state(b).told_newer_layout.count("a") == 1);
}

CAF_TEST_FIXTURE_SCOPE_END()
