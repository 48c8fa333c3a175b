#pragma once
// Two simulated nodes for deterministic protocol tests: node "a" on the DSL's test node `earth`
// and node "b" on `mars`, each running the project's real actors on CAF's testing scheduler and
// connected only through the DSL's test multiplexer (no sockets, no threads, no sleeps).
//
// Nothing here ever triggers a timeout: reconnect, rebalance, overdue and expiry timers stay
// pending, so a test sees exactly the messages its sequence causes, in the order the DSL picks.

#include "actors/cluster_endpoint.hpp"
#include "actors/cluster_manager.hpp"
#include "actors/interfaces.hpp"
#include "actors/node_metrics.hpp"
#include "actors/peer_connection.hpp"
#include "actors/routing_table.hpp"
#include "actors/shard.hpp"
#include "core/clock.hpp"

// After our headers: dsl.hpp defines function-like macros (`expect`, `allow`, `inject`) that
// would rewrite calls of the same name in them (arrival_guard::expect).
#include <caf/test/io_dsl.hpp>

#include <memory>
#include <string>
#include <vector>

namespace ovo::test {

/// The DSL's node configuration (middleman, testing scheduler and network) with our message
/// types: every node registers them, as a real node does before it talks to peers.
struct protocol_config : test_node_fixture_config {
  protocol_config() { add_ovo_message_types(*this); }
};

using protocol_base_fixture = test_coordinator_fixture<protocol_config>;
using planet = test_node_fixture<protocol_base_fixture>;

/// Where b publishes its cluster endpoint on the simulated network (its APIPort).
inline constexpr uint16_t b_api_port = 4242;

/// Keeps every reply delivered to it: the REST layer's sink without HTTP.
class recording_sink final : public reply_sink {
 public:
  void deliver(reply answer) override { replies.push_back(std::move(answer)); }
  std::vector<reply> replies;
};

/// One node's actors wired as local_node wires them, without its detached actors (the heap
/// trimmer and the keyspace: a detached actor runs on a thread of its own, outside the testing
/// scheduler, which is why these tests cannot use local_node itself) and the admin actor, which
/// no peer sequence involves.
struct node_actors {
  node_info info;
  std::shared_ptr<routing_holder> routing = std::make_shared<routing_holder>();
  std::vector<shard_actor> shards;
  cluster_manager_actor manager;
  cluster_endpoint_actor endpoint;

  /// The shard that holds `key` on this node.
  const shard_actor& shard_for(const std::string& key) const;

  /// Sends every actor an exit; the manager stops its peer connections, the endpoint follows.
  void stop() const;
};

/// A node as it introduces itself (what describe_self builds from a configuration).
node_info make_node(std::string name, std::string api_host, uint16_t api_port,
                    int64_t joined_at_ms);

/// A single-key command.
command make_command(op kind, std::string key, std::string data = {});

/// A replica write as a's shard sends it after a write: the key's new state, stamped with
/// version {0, clock} (a holder installs only a newer version than its own; an unstamped one
/// would install nothing).
replica_write write_of(std::string key, std::string value, uint64_t clock = 1);

/// Whether the actor has a message waiting (it is then in the scheduler's queue too).
bool has_mail(caf_handle whom);

/// The nodes' names in view order, space-separated: comparable and printable in one check.
std::string names_of(const std::vector<node_info>& view);

/// b runs on mars with its endpoint published; a is spawned on earth by the test (start_a or
/// join), with b as its configured seed.
class two_nodes : public point_to_point_fixture<protocol_base_fixture> {
 public:
  two_nodes();
  /// Stops both nodes' actors first: the DSL's own teardown fires every pending timer, and a
  /// live peer connection would keep rescheduling its reconnect.
  ~two_nodes();

  /// Spawns a's actors; its cluster manager, once it runs, starts a connection to b.
  void start_a();
  /// start_a, then runs both nodes until nothing is left to do: a and b have joined.
  void join();

  /// One step of either node: one message, one broker turn or one network read; never a
  /// timeout.
  bool step(bool mars_too = true);
  /// Steps until nothing is left to do (timers stay pending).
  void settle();
  /// Steps until `ready()`; fails the test if the nodes go idle first. With `mars_too` false
  /// only earth runs (mars then sees nothing of what earth sends meanwhile).
  template <class Ready>
  void settle_until(Ready ready, bool mars_too = true) {
    while (!ready())
      if (!step(mars_too)) CAF_FAIL("both nodes went idle before the awaited message");
  }

  /// Drops the simulated TCP connection as a crash or cable cut does: each side's BASP broker
  /// gets connection_closed_msg and the connection delivers no more data.
  void drop_connection();

  cluster_manager_state& manager_state(const node_actors& node);
  peer_connection_state& connection_state(const peer_connection_actor& connection);
  /// a's connection to b (exists once a's cluster manager has run).
  peer_connection_actor peer_ab();

  /// A key that a's routing sends to b and that b serves itself.
  std::string key_served_by_b();
  /// A key that a serves itself and whose replica a's routing keeps on b.
  std::string key_replicated_to_b();
  /// A key whose slot b keeps once a joined (b, the older node, gets the first block).
  std::string key_b_keeps_once_joined();

  /// What `node`'s shard of `key` holds for it, read directly (no routing, no read-through).
  replica_write copy_of(const node_actors& node, const std::string& key);
  /// copy_of(b, key): b serves no reads for a's slots.
  replica_write b_copy_of(const std::string& key) { return copy_of(b, key); }

  std::shared_ptr<manual_clock> clock = std::make_shared<manual_clock>();
  node_actors a;
  node_actors b;
  caf::io::connection_handle b_side;  ///< mars's end of the connection from a to b
  caf::io::connection_handle a_side;  ///< earth's end
};

}  // namespace ovo::test
