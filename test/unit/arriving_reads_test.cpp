// While a slot's data is still arriving, a command that reads a key absent here first fetches
// it from the slot's previous holder (slot_handlers.hpp, run_when_arrived). The previous holder
// is a real local_node ("owner"), or an actor that is gone: then nothing may be read as missing.

#include "test/unit/moved_slots_fixture.hpp"

#include <doctest/doctest.h>

using namespace std::chrono_literals;
using ovo::op;
using ovo::status;
using ovo::test::make;
using ovo::test::moved_slots_fixture;

namespace {

/// A peer connection that no longer exists: every request to it fails at once.
ovo::peer_connection_actor gone_peer(caf::actor_system& system) {
  auto gone = system.spawn([](caf::event_based_actor* self) { self->quit(); });
  return caf::actor_cast<ovo::peer_connection_actor>(gone);
}

/// `count` keys of one slot, named after `prefix`.
std::vector<std::string> keys_of_one_slot(const std::string& prefix, std::size_t count) {
  std::vector<std::string> keys;
  const int slot = ovo::slot_of(prefix + "0");
  for (int i = 0; keys.size() < count; ++i)
    if (ovo::slot_of(prefix + std::to_string(i)) == slot)
      keys.push_back(prefix + std::to_string(i));
  return keys;
}

}  // namespace

TEST_CASE_FIXTURE(moved_slots_fixture,
                  "a key still arriving is read from its previous holder, then kept here") {
  REQUIRE(ask_owner(make(op::put, "arriving", "old")).code == status::ok);
  REQUIRE(ask_owner(make(op::counter_set, "arriving-counter")).code == status::ok);  // 5
  slots_arriving_from(caf::actor_cast<ovo::peer_connection_actor>(owner.cluster()));

  CHECK(ask(shard, make(op::get, "arriving")).data == "old");
  CHECK(ask(shard, make(op::counter_add, "arriving-counter")).number == 10);  // 5 + 5
  CHECK(ask(shard, make(op::get, "absent-there-too")).code == status::not_found);

  previous_holder_is(gone_peer(system));  // the copies fetched are here now
  CHECK(ask(shard, make(op::get, "arriving")).data == "old");
  CHECK(ask(shard, make(op::counter_get, "arriving-counter")).number == 10);

  // Given back (the layout took the slots away and returned them within the arrival): held
  // keys are read again, from a previous holder that cannot be read now, so nothing is served
  // from the copy read before.
  slots_arriving_from(gone_peer(system));
  CHECK(ask(shard, make(op::get, "arriving")).code == status::unavailable);
  CHECK(ask(shard, make(op::counter_add, "arriving-counter")).code == status::unavailable);
}

TEST_CASE_FIXTURE(moved_slots_fixture,
                  "a previous holder that cannot be read: reads and increments answer 503 and "
                  "change nothing, replacing writes run (nobody reaches it to write there)") {
  slots_arriving_from(gone_peer(system));

  const auto read = ask(shard, make(op::get, "elsewhere"));
  CHECK(read.code == status::unavailable);
  CHECK(read.message.find("nothing was changed") != std::string::npos);
  CHECK(ask(shard, make(op::counter_add, "elsewhere-counter")).code == status::unavailable);
  CHECK(ask(shard, make(op::update_value_if_equal, "elsewhere", "a")).code == status::unavailable);
  CHECK(ask(shard, make(op::put, "replaced", "new")).code == status::ok);
  CHECK(ask(shard, make(op::get, "replaced")).data == "new");
  CHECK(ask(shard, make(op::counter_set, "set-counter")).number == 5);

  // The slot's data arrives: the counter was never restarted at zero, its value counts on.
  caf::scoped_actor self{system};
  ovo::replica_write arrived;
  arrived.counter = true;
  arrived.record.key = "elsewhere-counter";
  arrived.counter_value = 7;
  arrived.version = {0, 1};  // stamped by its owner; nothing is here yet
  self->request(shard, 5s, ovo::migrate_atom_v, ovo::slot_of("elsewhere-counter"), true, true, true,
                std::vector<ovo::replica_write>{arrived})
      .receive([](bool) {}, [](caf::error& e) { FAIL(to_string(e)); });
  CHECK(ask(shard, make(op::counter_add, "elsewhere-counter")).number == 12);
}

TEST_CASE_FIXTURE(moved_slots_fixture,
                  "an arrival window stays open however long the data takes: an hour later reads "
                  "still go to the previous holder and a write made here still beats the arriving "
                  "copy, until the last chunk closes it") {
  REQUIRE(ask_owner(make(op::put, "there-only", "from the previous holder")).code == status::ok);
  slots_arriving_from(caf::actor_cast<ovo::peer_connection_actor>(owner.cluster()));
  REQUIRE(ask(shard, make(op::put, "written-here", "new")).code == status::ok);
  clock->advance_ms(3'600'000);

  CHECK(ask(shard, make(op::get, "there-only")).data == "from the previous holder");
  // The arriving copy of "written-here" carries a version above the local write's (the
  // sender's clock may run ahead): the window still keeps the local write.
  caf::scoped_actor self{system};
  ovo::replica_write stale;
  stale.record.key = "written-here";
  stale.record.value = "old";
  stale.version = {ovo::version_t::max_epoch, ~uint64_t{0} >> 1};
  const int slot = ovo::slot_of("written-here");
  self->request(shard, 5s, ovo::migrate_atom_v, slot, false, true, true,
                std::vector<ovo::replica_write>{stale})
      .receive([](bool) {}, [](caf::error& e) { FAIL(to_string(e)); });
  CHECK(ask(shard, make(op::get, "written-here")).data == "new");
  // Arrived: a key of that slot absent here is absent, without asking the previous holder.
  for (int i = 0;; ++i) {
    auto key = "absent-" + std::to_string(i);
    if (ovo::slot_of(key) != slot) continue;
    REQUIRE(ask_owner(make(op::put, key, "only on the previous holder")).code == status::ok);
    CHECK(ask(shard, make(op::get, key)).code == status::not_found);
    break;
  }
}

TEST_CASE_FIXTURE(moved_slots_fixture,
                  "a replacing write on a key still arriving fences the previous holder: the old "
                  "owner then refuses writes to that slot instead of acknowledging them") {
  REQUIRE(ask_owner(make(op::put, "handed-over", "old")).code == status::ok);
  slots_arriving_from(caf::actor_cast<ovo::peer_connection_actor>(owner.cluster()));

  CHECK(ask(shard, make(op::put, "handed-over", "new")).code == status::ok);
  const auto late = ask_owner(make(op::put, "handed-over", "late write to the old owner"));
  CHECK(late.code == status::unavailable);
  CHECK(ask(shard, make(op::get, "handed-over")).data == "new");
}

TEST_CASE_FIXTURE(moved_slots_fixture,
                  "before its node published a first routing table a shard refuses key commands, "
                  "so a node just restarted never starts a counter at zero") {
  const auto early = ask(shard, make(op::counter_add, "restarted-counter"));
  CHECK(early.code == status::unavailable);
  CHECK(early.message.find("nothing was changed") != std::string::npos);
  CHECK(ask(shard, make(op::put, "restarted-key", "v")).code == status::unavailable);

  slots_owned_elsewhere(false);  // the first table: this node owns every slot
  CHECK(ask(shard, make(op::counter_add, "restarted-counter")).number == 5);
}

TEST_CASE_FIXTURE(moved_slots_fixture,
                  "when a settled last chunk closes a distrusted window, what this node held that "
                  "no chunk, read-through or write here confirmed is dropped (a delete the "
                  "serving node no longer remembers), everything confirmed stays, and an "
                  "unsettled last chunk drops nothing") {
  const auto keys = keys_of_one_slot("away-", 5);
  const auto &deleted_there = keys[0], &chunked = keys[1], &read = keys[2], &written = keys[3],
             &counter = keys[4];
  const int slot = ovo::slot_of(deleted_there);
  slots_owned_elsewhere(false);  // this node serves the slot, then is taken over
  for (const auto& key : {deleted_there, chunked, read, written})
    REQUIRE(ask(shard, make(op::put, key, "from before")).code == status::ok);
  REQUIRE(ask(shard, make(op::counter_add, counter)).number == 5);
  REQUIRE(ask(shard, make(op::counter_add, deleted_there)).number == 5);
  REQUIRE(ask_owner(make(op::put, read, "served meanwhile")).code == status::ok);

  // Back: the slot arrives from the node that served it, and nothing here is trusted.
  auto table = std::make_shared<ovo::routing_table>();
  table->previous_owner.fill(caf::actor_cast<ovo::peer_connection_actor>(owner.cluster()));
  routing->publish(std::move(table));
  caf::anon_send(shard, ovo::expect_atom_v, std::vector<int>{slot}, true);
  CHECK(ask(shard, make(op::get, read)).data == "served meanwhile");  // read through
  REQUIRE(ask(shard, make(op::put, written, "written here")).code == status::ok);

  caf::scoped_actor self{system};
  auto chunk = [&](bool counters, bool settled, ovo::replica_write write) {
    self->request(shard, 5s, ovo::migrate_atom_v, slot, counters, true, settled,
                  std::vector<ovo::replica_write>{std::move(write)})
        .receive([](bool) {}, [](caf::error& e) { FAIL(to_string(e)); });
  };
  ovo::replica_write object;
  object.record = {chunked, "in the chunk", "", 0};
  object.version = {0, 1};  // older than the copy here: kept as it is, but confirmed
  chunk(false, true, object);
  ovo::replica_write total;
  total.counter = true;
  total.record.key = counter;
  total.counter_value = 5;
  total.version = {0, 1};
  // The counters' last chunk comes from a copy whose own arrival was still open: it closes the
  // window but confirms no absence, so nothing is dropped.
  chunk(true, false, total);

  CHECK(ask(shard, make(op::get, deleted_there)).code == status::not_found);
  CHECK(ask(shard, make(op::counter_get, deleted_there)).number == 5);
  CHECK(ask(shard, make(op::get, chunked)).data == "from before");
  CHECK(ask(shard, make(op::get, read)).data == "served meanwhile");
  CHECK(ask(shard, make(op::get, written)).data == "written here");
  CHECK(ask(shard, make(op::counter_get, counter)).number == 5);
}
