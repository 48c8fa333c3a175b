// The C++ client library against real nodes: every operation, routing to the owner, and
// failover when the owner dies.

#include "ovo/client.hpp"

#include "core/slot_hash.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

std::string owner_name(const ovo::client::cluster_client& client, const std::string& key) {
  for (const auto& n : client.topology())
    for (int slot : n.slots)
      if (slot == ovo::slot_of(key)) return n.name;
  return "";
}

}  // namespace

TEST_CASE("the client library runs every object and counter operation") {
  test_cluster c(2);
  REQUIRE(c.converged({0, 1}, 2));
  ovo::client::cluster_client client({c.rest_address(0)});
  CHECK(client.topology().size() == 2);

  const std::string key = "a key/with spaces?&=%", binary("\0\xff\x01 bytes", 9);
  client.put(key, binary, 0, "coll");
  CHECK(client.get(key) == binary);
  CHECK_FALSE(client.get("missing").has_value());
  CHECK_FALSE(client.update_value_if_equal(key, "not it", "x"));
  CHECK(client.update_value_if_equal(key, binary, "second"));
  CHECK(client.update_key(key, "moved"));
  CHECK_FALSE(client.get(key).has_value());
  CHECK_FALSE(client.update_key(key, "again"));
  CHECK(client.update_key_value_if_equal("moved", "moved2", "second", "third"));
  CHECK_FALSE(client.delete_value_if_equal("moved2", "other"));
  CHECK(client.delete_value_if_equal("moved2", "third"));
  client.put("gone", "v");
  CHECK(client.get_and_remove("gone") == "v");
  CHECK_FALSE(client.get_and_remove("gone").has_value());
  client.put("temp", "v");
  client.remove("temp");
  CHECK_FALSE(client.get("temp").has_value());

  CHECK(client.counter_set("ctr", 40) == 40);
  CHECK(client.counter_add("ctr", 2) == 42);
  CHECK(client.counter_add("fresh", -5) == -5);
  CHECK(client.counter_get("ctr") == 42);
  client.counter_remove("ctr");
  CHECK_FALSE(client.counter_get("ctr").has_value());
  CHECK_THROWS_AS(client.counter_add("fresh", INT64_MIN), ovo::client::error);

  client.put("listed", "v");
  int64_t total = 0;
  for (int i = 0; i < 2; ++i) total += client.count_keys(c.rest_address(i));
  CHECK(total == 2 * 1);  // "listed" on its owner and its twin (the rest were removed)
  CHECK(client.list_keys(c.rest_address(0)) == std::vector<std::string>{"listed"});
}

TEST_CASE("the client routes each key to its owner and fails over when the owner dies") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  ovo::client::cluster_client client({c.rest_address(0)});
  std::vector<std::string> keys;
  for (int i = 0; i < 300; ++i) {
    keys.push_back("k" + std::to_string(i));
    client.put(keys.back(), "v-" + keys.back());
  }
  // Every write went straight to the owner: no node forwarded one.
  std::map<std::string, int> owned;
  for (const auto& key : keys) ++owned[owner_name(client, key)];
  const auto stats = run_ovoctl({"--node", c.api_address(0), "--json", "stats"});
  REQUIRE(stats.exit_code == 0);
  const auto per_node = json::parse(stats.output)["Nodes"];
  for (const auto& n : per_node)
    CHECK(n["Requests"]["put"].get<int>() == owned[n["Name"].get<std::string>()]);

  c.nodes[1]->stop(SIGKILL, 2s);
  REQUIRE(c.failed_over({0, 2}, 1));
  int readable = 0;
  for (const auto& key : keys) readable += client.get(key) == "v-" + key;
  CHECK(readable == 300);
  // The failed owner made the client fetch the topology again: node1's slots have a new owner.
  for (const auto& key : keys) CHECK(owner_name(client, key) != "node1");
}
