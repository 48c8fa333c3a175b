// A holder runs a key command only if the current routing table says this node owns the key's
// slot (owner_check.hpp). A shard (objects and counters) with a routing table of the test's
// making; the node that owns the slot is a real local_node, reached through its cluster
// manager as a peer connection would reach it.

#include "test/unit/moved_slots_fixture.hpp"

#include <doctest/doctest.h>

using ovo::op;
using ovo::status;
using ovo::test::make;
using ovo::test::moved_slots_fixture;

TEST_CASE_FIXTURE(moved_slots_fixture,
                  "a write routed here after its slot moved is passed on to the new owner") {
  slots_owned_elsewhere(true);
  CHECK(ask(shard, make(op::put, "moved", "v")).code == status::ok);
  CHECK(ask(shard, make(op::counter_add, "moved-counter")).code == status::ok);

  CHECK(ask_owner(make(op::get, "moved")).data == "v");
  CHECK(ask_owner(make(op::counter_get, "moved-counter")).number == 5);
  CHECK(ask(shard, make(op::get, "moved")).data == "v");  // a read is passed on as well
  slots_owned_elsewhere(false);
  CHECK(ask(shard, make(op::get, "moved")).code == status::not_found);
  CHECK(ask(shard, make(op::counter_get, "moved-counter")).code == status::not_found);
}

TEST_CASE_FIXTURE(moved_slots_fixture,
                  "after max_forward_hops a write is refused and changes nothing, a read is "
                  "answered with what this node holds, and a key it does not hold is 503 not 404") {
  CHECK(ask_owner(make(op::put, "held-there", "there")).code == status::ok);
  slots_owned_elsewhere(false);
  CHECK(ask(shard, make(op::put, "held-here", "here")).code == status::ok);
  slots_owned_elsewhere(true);
  const auto hops = ovo::defaults::max_forward_hops;

  const auto refused = ask(shard, make(op::put, "bounced", "v", hops));
  CHECK(refused.code == status::unavailable);
  CHECK(refused.message.find("nothing was written") != std::string::npos);
  CHECK(ask(shard, make(op::counter_add, "bounced", {}, hops)).code == status::unavailable);
  CHECK(ask_owner(make(op::get, "bounced")).code == status::not_found);
  CHECK(ask_owner(make(op::counter_get, "bounced")).code == status::not_found);

  CHECK(ask(shard, make(op::get, "held-here", {}, hops)).data == "here");
  // The owner holds it, this node does not: not a 404 (seen while two views disagreed).
  CHECK(ask(shard, make(op::get, "held-there", {}, hops)).code == status::unavailable);
  CHECK(ask(shard, make(op::counter_get, "held-there", {}, hops)).code == status::unavailable);
  CHECK(ask(shard, make(op::get, "held-there", {}, hops - 1)).data == "there");
}
