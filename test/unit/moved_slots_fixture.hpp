#pragma once
// A standalone shard (objects and counters) with a routing table of the test's making, next to a
// real local_node ("owner") that a test can make the owner, or the previous holder, of any slot: it
// is reached through its cluster manager, as a peer connection would reach it.

#include "actors/local_node.hpp"
#include "actors/shard.hpp"
#include "core/slot_hash.hpp"
#include "core/slot_layout.hpp"
#include "test/unit/node_actor_config.hpp"

#include <doctest/doctest.h>

#include <chrono>

namespace ovo::test {

using namespace std::chrono_literals;

inline ovo::server_config owner_config() {
  ovo::server_config c;
  c.self.name = "owner";
  c.self.host = "127.0.0.1";
  c.self.port = 1;
  c.settings.shards = 2;
  return c;
}

inline ovo::command make(ovo::op kind, std::string key, std::string data = {}, uint8_t hops = 0) {
  ovo::command cmd;
  cmd.kind = kind;
  cmd.key = std::move(key);
  cmd.data = std::move(data);
  cmd.value = 5;
  cmd.hops = hops;
  return cmd;
}

/// A shard whose routing table names "owner" as the owner of every slot,
/// or as the node every slot arrives from.
struct moved_slots_fixture {
  caf::actor_system system{ovo::test::node_actor_config()};
  std::shared_ptr<ovo::manual_clock> clock = std::make_shared<ovo::manual_clock>();
  ovo::local_node owner{system, owner_config(), clock};
  std::shared_ptr<ovo::routing_holder> routing = std::make_shared<ovo::routing_holder>();
  std::shared_ptr<ovo::node_metrics> metrics = std::make_shared<ovo::node_metrics>();
  ovo::shard_actor shard =
      system.spawn(ovo::shard, 0u, uint16_t{1}, clock, 10ms, routing, metrics, ovo::memory_limit{});

  ~moved_slots_fixture() {
    caf::anon_send_exit(shard, caf::exit_reason::user_shutdown);
    owner.stop();
  }

  /// Publishes a table in which every slot is owned by "owner" (true) or by this node.
  void slots_owned_elsewhere(bool elsewhere) {
    auto table = std::make_shared<ovo::routing_table>();
    if (elsewhere)
      table->remote_owner.fill(caf::actor_cast<ovo::peer_connection_actor>(owner.cluster()));
    routing->publish(std::move(table));
  }

  /// Publishes a table in which this node owns every slot and each is still arriving from
  /// `source`: the shard opens every slot's arrival window (anew where one is open or the slot
  /// has entries here: a slot given back).
  void slots_arriving_from(const ovo::peer_connection_actor& source) {
    previous_holder_is(source);
    std::vector<int> every_slot(ovo::slot_count);
    for (int slot = 0; slot < ovo::slot_count; ++slot)
      every_slot[static_cast<std::size_t>(slot)] = slot;
    caf::anon_send(shard, ovo::expect_atom_v, every_slot, false);
  }

  /// The slots still arriving are to be read from `source` from now on (the routing table
  /// changed, the windows did not).
  void previous_holder_is(const ovo::peer_connection_actor& source) {
    auto table = std::make_shared<ovo::routing_table>();
    table->previous_owner.fill(source);
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
    const auto& shards = owner.shards();
    const auto& holder = shards[ovo::shard_of_slot(ovo::slot_of(cmd.key), shards.size())];
    return ask(holder, std::move(cmd));
  }
};

}  // namespace ovo::test
