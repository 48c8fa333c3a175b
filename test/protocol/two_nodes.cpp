#include "test/protocol/two_nodes.hpp"

#include "core/slot_hash.hpp"
#include "core/slot_layout.hpp"
#include "core/version_clock.hpp"

#include <caf/io/basp_broker.hpp>

#include <type_traits>

namespace ovo::test {
namespace {

constexpr uint32_t shards_per_node = 2;  // two, so a key's shard is looked up, not assumed

node_actors spawn_node(planet& where, node_info me, std::vector<node_info> seeds,
                       std::shared_ptr<const clock_source> clock) {
  node_actors node;
  node.info = me;
  auto& sys = where.sys;
  auto metrics = std::make_shared<node_metrics>();
  std::vector<caf::actor_addr> peers;
  for (uint32_t i = 0; i < shards_per_node; ++i) {
    node.shards.push_back(sys.spawn(shard, i, version_tag_of(node.info.name), clock,
                                    std::chrono::milliseconds(1000), node.routing, metrics,
                                    memory_limit{}));
    peers.push_back(node.shards.back().address());
  }
  for (const auto& s : node.shards) caf::anon_send(s, peers_atom_v, peers);
  // Two nodes: under the majority rule a lost peer leaves each in a minority. These tests are
  // about the peer protocol itself (a lost peer's slots fail over at once), so "available".
  cluster_options options;
  options.majority_rule = false;
  options.probe_peers = false;  // the test multiplexer has no network to probe
  node.manager = sys.spawn(cluster_manager, std::move(me), local_targets{node.shards}, node.routing,
                           std::move(seeds), topology_listener{}, options);
  // No admin actor: ovoctl is not part of the peer protocol under test.
  node.endpoint = sys.spawn(cluster_endpoint, node.manager, admin_actor{}, std::string());
  return node;
}

template <class Handle>
void stop_actor(const Handle& handle) {
  if (handle) caf::anon_send_exit(handle, caf::exit_reason::user_shutdown);
}

/// The actor behind `handle`, to read its state (everything runs on the test's thread).
template <class Actor, class Handle>
Actor& stateful(const Handle& handle) {
  auto* ptr = caf::actor_cast<caf::abstract_actor*>(handle);
  CAF_REQUIRE(ptr != nullptr);
  return dynamic_cast<Actor&>(*ptr);
}

/// The first key "key-0", "key-1"… whose slot satisfies `wanted`.
template <class Predicate>
std::string first_key(Predicate wanted) {
  for (int i = 0; i < 10 * slot_count; ++i) {
    auto key = "key-" + std::to_string(i);
    if (wanted(static_cast<std::size_t>(slot_of(key)))) return key;
  }
  CAF_FAIL("no key has a slot laid out as the test needs");
}

}  // namespace

void node_actors::stop() const {
  stop_actor(manager);
  stop_actor(endpoint);
  for (const auto& s : shards) stop_actor(s);
}

node_info make_node(std::string name, std::string api_host, uint16_t api_port,
                    int64_t joined_at_ms) {
  node_info node;
  node.name = std::move(name);
  node.host = api_host;
  node.port = 8000;
  node.api_host = std::move(api_host);
  node.api_port = api_port;
  node.active = true;
  node.hash_range = balanced_layout(1).front();
  node.joined_at_ms = joined_at_ms;
  node.incarnation = joined_at_ms;
  return node;
}

command make_command(op kind, std::string key, std::string data) {
  command cmd;
  cmd.kind = kind;
  cmd.key = std::move(key);
  cmd.data = std::move(data);
  return cmd;
}

bool has_mail(caf_handle whom) { return whom->peek_at_next_mailbox_element() != nullptr; }

std::string names_of(const std::vector<node_info>& view) {
  std::string names;
  for (const auto& node : view) names += (names.empty() ? "" : " ") + node.name;
  return names;
}

two_nodes::two_nodes() {
  // b is the older node: a joins b's cluster.
  b = spawn_node(mars, make_node("b", "mars", b_api_port, 1000), {}, clock);
  std::tie(b_side, a_side) = prepare_connection(mars, earth, "mars", b_api_port);
  mars.publish(b.endpoint, b_api_port);
  settle();
}

two_nodes::~two_nodes() {
  a.stop();
  b.stop();
  settle();
}

void two_nodes::start_a() {
  auto seed = make_node("b", "mars", b_api_port, 0);
  a = spawn_node(earth, make_node("a", "earth", 4243, 2000), {seed}, clock);
}

void two_nodes::join() {
  start_a();
  settle();
  CAF_REQUIRE(connection_state(peer_ab()).remote);
}

bool two_nodes::step(bool mars_too) {
  auto advance = [](planet& p) {
    return p.sched.try_run_once() || p.mpx.try_exec_runnable() || p.mpx.read_data() ||
           p.mpx.try_accept_connection();
  };
  return advance(earth) || (mars_too && advance(mars));
}

void two_nodes::settle() {
  while (step()) {
    // nop
  }
}

void two_nodes::drop_connection() {
  for (auto [where, hdl] : {std::make_pair(&earth, a_side), std::make_pair(&mars, b_side)}) {
    where->mpx.passive_mode(hdl) = true;
    auto basp = where->mm.named_broker<caf::io::basp_broker>(caf::atom("BASP"));
    caf::anon_send(basp, caf::io::connection_closed_msg{hdl});
  }
}

cluster_manager_state& two_nodes::manager_state(const node_actors& node) {
  using actor_type =
      std::remove_pointer_t<cluster_manager_actor::stateful_pointer<cluster_manager_state>>;
  return stateful<actor_type>(node.manager).state;
}

peer_connection_state& two_nodes::connection_state(const peer_connection_actor& connection) {
  using actor_type =
      std::remove_pointer_t<peer_connection_actor::stateful_pointer<peer_connection_state>>;
  return stateful<actor_type>(connection).state;
}

peer_connection_actor two_nodes::peer_ab() {
  auto& peers = manager_state(a).peers;
  auto it = peers.find("b");
  CAF_REQUIRE(it != peers.end());
  return it->second;
}

std::string two_nodes::key_served_by_b() {
  auto on_a = a.routing->current();
  auto on_b = b.routing->current();
  const auto to_b = peer_ab();
  return first_key([&](std::size_t slot) {
    return on_a->remote_owner[slot] == to_b && !on_b->remote_owner[slot];
  });
}

std::string two_nodes::key_replicated_to_b() {
  auto on_a = a.routing->current();
  const auto to_b = peer_ab();
  return first_key([&](std::size_t slot) {
    const auto& twins = on_a->replicas[slot];
    return !on_a->remote_owner[slot] && std::find(twins.begin(), twins.end(), to_b) != twins.end();
  });
}

const shard_actor& node_actors::shard_for(const std::string& key) const {
  return shards[shard_of_slot(slot_of(key), shards.size())];
}

replica_write write_of(std::string key, std::string value, uint64_t clock) {
  replica_write write;
  write.record.key = std::move(key);
  write.record.value = std::move(value);
  write.version = {0, clock};
  return write;
}

replica_write two_nodes::copy_of(const node_actors& node, const std::string& key) {
  auto& home = &node == &a ? earth : mars;
  const auto& shard_of_key = node.shard_for(key);
  home.self->request(shard_of_key, caf::infinite, fetch_atom_v, key, false);
  settle_until([&] { return has_mail(home.self); });
  auto stored = std::get<0>(extract<replica_write>(home.self));
  expect_on(home, (replica_write), from(shard_of_key).to(home.self));
  return stored;
}

std::string two_nodes::key_b_keeps_once_joined() {
  const auto b_slots = balanced_layout(2).front();
  return first_key([&](std::size_t slot) {
    return std::find(b_slots.begin(), b_slots.end(), static_cast<int>(slot)) != b_slots.end();
  });
}

}  // namespace ovo::test
