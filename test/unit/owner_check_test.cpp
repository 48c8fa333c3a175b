// A holder runs a key command only if the current routing table says this node owns the key's
// slot (owner_check.hpp). A shard and a counter table with a routing table of the test's
// making; the node that owns the slot is a real local_node, reached through its cluster
// manager as a peer connection would reach it.

#include <doctest/doctest.h>

#include <chrono>

#include "counter_table.hpp"
#include "defaults.hpp"
#include "expiry_scheduler.hpp"
#include "local_node.hpp"
#include "node_actor_config.hpp"
#include "shard.hpp"
#include "slot_hash.hpp"
#include "slot_layout.hpp"

namespace {

using namespace std::chrono_literals;
using ovo::op;
using ovo::status;

ovo::server_config owner_config() {
  ovo::server_config c;
  c.self.name = "owner";
  c.self.host = "127.0.0.1";
  c.self.port = 1;
  c.settings.shards = 2;
  return c;
}

ovo::command make(op kind, std::string key, std::string data = {}, uint8_t hops = 0) {
  ovo::command cmd;
  cmd.kind = kind;
  cmd.key = std::move(key);
  cmd.data = std::move(data);
  cmd.value = 5;
  cmd.hops = hops;
  return cmd;
}

/// A shard and a counter table whose routing table says whether "owner" owns every slot.
struct moved_slots_fixture {
  caf::actor_system system{ovo::test::node_actor_config()};
  std::shared_ptr<ovo::manual_clock> clock = std::make_shared<ovo::manual_clock>();
  ovo::local_node owner{system, owner_config(), clock};
  std::shared_ptr<ovo::routing_holder> routing = std::make_shared<ovo::routing_holder>();
  std::shared_ptr<ovo::node_metrics> metrics = std::make_shared<ovo::node_metrics>();
  ovo::expiry_scheduler_actor scheduler =
      system.spawn(ovo::expiry_scheduler, clock, 10ms, ovo::defaults::expiry_batch);
  ovo::shard_actor shard = system.spawn(ovo::shard, 0u, clock, scheduler, routing, metrics);
  ovo::counter_table_actor counters =
      system.spawn(ovo::counter_table, clock, scheduler, 1u, routing, metrics);

  ~moved_slots_fixture() {
    for (const caf::actor_addr& actor : {shard.address(), counters.address(), scheduler.address()})
      caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
    owner.stop();
  }

  /// Publishes a table in which every slot is owned by "owner" (true) or by this node.
  void slots_owned_elsewhere(bool elsewhere) {
    auto table = std::make_shared<ovo::routing_table>();
    if (elsewhere)
      table->remote_owner.fill(caf::actor_cast<ovo::peer_connection_actor>(owner.cluster()));
    routing->publish(std::move(table));
  }

  template <class Holder>
  ovo::reply ask(const Holder& holder, ovo::command cmd) {
    caf::scoped_actor self{system};
    ovo::reply answer;
    self->request(holder, 5s, ovo::exec_atom_v, std::move(cmd))
        .receive([&](ovo::reply& r) { answer = std::move(r); },
                 [](caf::error& e) { FAIL(to_string(e)); });
    return answer;
  }
  /// Asks the owning node, as its own REST layer would.
  ovo::reply ask_owner(ovo::command cmd) {
    if (ovo::is_counter_op(cmd.kind)) return ask(owner.counters(), std::move(cmd));
    const auto& shards = owner.shards();
    const auto& holder = shards[ovo::shard_of_slot(ovo::slot_of(cmd.key), shards.size())];
    return ask(holder, std::move(cmd));
  }
};

}  // namespace

TEST_CASE_FIXTURE(moved_slots_fixture,
                  "a write routed here after its slot moved is passed on to the new owner") {
  slots_owned_elsewhere(true);
  CHECK(ask(shard, make(op::put, "moved", "v")).code == status::ok);
  CHECK(ask(counters, make(op::counter_add, "moved-counter")).code == status::ok);

  CHECK(ask_owner(make(op::get, "moved")).data == "v");
  CHECK(ask_owner(make(op::counter_get, "moved-counter")).number == 5);
  CHECK(ask(shard, make(op::get, "moved")).data == "v");  // a read is passed on as well
  slots_owned_elsewhere(false);
  CHECK(ask(shard, make(op::get, "moved")).code == status::not_found);
  CHECK(ask(counters, make(op::counter_get, "moved-counter")).code == status::not_found);
}

TEST_CASE_FIXTURE(moved_slots_fixture,
                  "after max_forward_hops a write is refused and changes nothing, a read is "
                  "answered here") {
  CHECK(ask_owner(make(op::put, "held-there", "there")).code == status::ok);
  slots_owned_elsewhere(true);
  const auto hops = ovo::defaults::max_forward_hops;

  const auto refused = ask(shard, make(op::put, "bounced", "v", hops));
  CHECK(refused.code == status::unavailable);
  CHECK(refused.message.find("nothing was written") != std::string::npos);
  CHECK(ask(counters, make(op::counter_add, "bounced", {}, hops)).code == status::unavailable);
  CHECK(ask_owner(make(op::get, "bounced")).code == status::not_found);
  CHECK(ask_owner(make(op::counter_get, "bounced")).code == status::not_found);

  CHECK(ask(shard, make(op::get, "held-there", {}, hops)).code == status::not_found);
  CHECK(ask(shard, make(op::get, "held-there", {}, hops - 1)).data == "there");
}
