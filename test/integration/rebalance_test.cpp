// Slot data follows the layout: a node joining live, a killed node coming back, and a node
// leaving gracefully all end with every key readable and stored exactly on its owner and twin.

#include "core/slot_hash.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <random>
#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

/// What a test wrote and expects back.
struct written {
  std::vector<std::string> keys;  ///< objects; each key's value is "v-" + key
  int counters = 0;               ///< counter "ctr-i" holds i
};

written write_data(test_cluster& c, int objects, int counters) {
  written out;
  std::mt19937 rng(11);
  for (int i = 0; i < objects; ++i) {
    const auto key = "obj-" + std::to_string(i);
    const int node = static_cast<int>(rng() % static_cast<unsigned>(c.size()));
    REQUIRE(c.put(node, key, "v-" + key, i % 3 == 0 ? 600 : 0).status == 200);
    out.keys.push_back(key);
  }
  for (int i = 0; i < counters; ++i)
    REQUIRE(c.call(i % c.size(), "PUT", "/ovo/counters",
                   json{{"Key", "ctr-" + std::to_string(i)}, {"Value", i}}.dump())
                .status == 200);
  out.counters = counters;
  return out;
}

/// Writes keys "<prefix>N" through `node` until told to stop (at most 5,000 writes, 30 s);
/// gives the keys answered 200.
std::vector<std::string> keep_writing(test_cluster& c, int node, const std::string& prefix,
                                      const std::atomic<bool>& stop) {
  std::vector<std::string> acknowledged;
  http_client client;
  const auto url = c.nodes[static_cast<std::size_t>(node)]->url("/ovo/keystorage");
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  for (int i = 0; i < 5'000 && !stop && std::chrono::steady_clock::now() < deadline; ++i) {
    const auto key = prefix + std::to_string(i);
    auto body = json{{"Key", key}, {"Data", ovo::test::to_base64("v-" + key)}}.dump();
    if (client.request("PUT", url, body).status == 200) acknowledged.push_back(key);
  }
  return acknowledged;
}

/// Reads `keys` round-robin through `node` until told to stop (at most 30 s); gives the reads
/// that did not return the key's value (503 counts as right when `unavailable_ok`: a node
/// died, and the client tries another).
std::vector<std::string> keep_reading(test_cluster& c, int node,
                                      const std::vector<std::string>& keys,
                                      const std::atomic<bool>& stop, bool unavailable_ok) {
  std::vector<std::string> wrong;
  http_client client;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  for (std::size_t i = 0; !stop && std::chrono::steady_clock::now() < deadline; ++i) {
    const auto& key = keys[i % keys.size()];
    auto response = client.request(
        "GET", c.nodes[static_cast<std::size_t>(node)]->url("/ovo/keystorage/" + key));
    if (response.status != 200 && !(unavailable_ok && response.status == 503))
      wrong.push_back(key + ": " + std::to_string(response.status));
  }
  return wrong;
}

/// Keys of `keys` that `node` does not read back with their value.
int unreadable(test_cluster& c, int node, const std::vector<std::string>& keys) {
  int wrong = 0;
  for (const auto& key : keys) wrong += c.value_of(node, key) != "v-" + key;
  return wrong;
}

int wrong_counters(test_cluster& c, int node, int counters) {
  int wrong = 0;
  for (int i = 0; i < counters; ++i) {
    auto response = c.call(node, "GET", "/ovo/counters/ctr-" + std::to_string(i));
    wrong += response.status != 200 || response.envelope()["Data"]["Value"] != i;
  }
  return wrong;
}

}  // namespace

TEST_CASE("a fourth node joins live: every key stays readable, on exactly its owner and twin") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  auto data = write_data(c, 3'000, 300);
  std::vector<std::string> short_lived;
  for (int i = 0; i < 100; ++i) {
    short_lived.push_back("brief-" + std::to_string(i));
    REQUIRE(c.put(i % 3, short_lived.back(), "x", 4).status == 200);
  }
  const auto ttl_set = std::chrono::steady_clock::now();
  std::atomic<bool> stop{false};
  auto writer =
      std::async(std::launch::async, keep_writing, std::ref(c), 1, "live-", std::cref(stop));
  // Reads of keys written before the join: a moved key must never read as missing.
  auto reader = std::async(std::launch::async, keep_reading, std::ref(c), 2, std::cref(data.keys),
                           std::cref(stop), false);
  std::this_thread::sleep_for(300ms);
  const int joiner = c.add_node();
  REQUIRE(c.converged({0, 1, 2, joiner}, 4));
  std::this_thread::sleep_for(1s);
  stop = true;
  auto acknowledged = writer.get();
  const auto stale_reads = reader.get();
  MESSAGE(acknowledged.size() << " writes acknowledged during the join");
  CHECK(stale_reads.empty());
  if (!stale_reads.empty())
    MESSAGE(stale_reads.size() << " failed reads during the join, the first: "
                               << stale_reads.front());
  REQUIRE(acknowledged.size() > 50);
  data.keys.insert(data.keys.end(), acknowledged.begin(), acknowledged.end());

  std::vector<std::size_t> sizes;
  for (const auto& [name, entry] : c.view(0)) sizes.push_back(entry.second.size());
  CHECK(sizes == std::vector<std::size_t>{32, 32, 32, 32});
  const auto misplaced = c.wait_for_exact_placement({0, 1, 2, joiner}, data.keys);
  CHECK(misplaced.empty());
  if (!misplaced.empty())
    MESSAGE(misplaced.size() << " misplaced keys, the first: " << misplaced.front());
  for (int node = 0; node < 4; ++node) {
    CHECK(unreadable(c, node, data.keys) == 0);
    CHECK(wrong_counters(c, node, data.counters) == 0);
  }
  CHECK(c.call(joiner, "GET", "/ovo/keystorage").envelope()["Data"].get<int64_t>() > 0);
  MESSAGE("rebalancing:\n" << c.log_lines({0, 1, 2, joiner}, "pass done"));

  // TTLs travelled with the keys: the short-lived ones expire wherever they are now.
  std::this_thread::sleep_until(ttl_set + 4500ms);
  for (int node = 0; node < 4; ++node)
    for (const auto& key : short_lived) CHECK(c.value_of(node, key) == "<404>");
}

TEST_CASE("a node restarted after kill -9 gets its data back and takes its slots again") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  auto data = write_data(c, 2'000, 200);
  const auto slots_before = c.view(0)["node2"].second;
  c.nodes[2]->stop(SIGKILL, 2s);
  REQUIRE(c.failed_over({0, 1}, 2));
  // Written while node2 is down: they must reach it too when it is back.
  for (int i = 0; i < 300; ++i) {
    const auto key = "while-down-" + std::to_string(i);
    REQUIRE(c.put(i % 2, key, "v-" + key).status == 200);
    data.keys.push_back(key);
  }
  c.restart(2);
  REQUIRE(c.converged({0, 1, 2}, 3));
  CHECK(c.view(0)["node2"].second == slots_before);
  const auto misplaced = c.wait_for_exact_placement({0, 1, 2}, data.keys);
  CHECK(misplaced.empty());
  for (int node = 0; node < 3; ++node) {
    CHECK(unreadable(c, node, data.keys) == 0);
    CHECK(wrong_counters(c, node, data.counters) == 0);
  }
  MESSAGE("rebalancing:\n" << c.log_lines({0, 1, 2}, "pass done"));
}

TEST_CASE(
    "kill -9 of a node a joiner's slots come from, mid-join: nothing is lost or read as missing") {
  test_cluster c(3, R"({"DeadNodeRemovalSeconds":1})");
  REQUIRE(c.converged({0, 1, 2}, 3));
  auto data = write_data(c, 2'000, 200);
  std::atomic<bool> stop{false};
  const int joiner = c.add_node();
  auto reader = std::async(std::launch::async, keep_reading, std::ref(c), joiner,
                           std::cref(data.keys), std::cref(stop), true);
  REQUIRE(c.converged({0, 1, 2, joiner}, 4));
  c.nodes[1]->stop(SIGKILL, 2s);  // its slots' data reaches the joiner from their twins
  CHECK(c.converged({0, 2, joiner}, 3));
  stop = true;
  const auto wrong_reads = reader.get();
  CHECK(wrong_reads.empty());
  if (!wrong_reads.empty())
    MESSAGE(wrong_reads.size() << " wrong reads, the first: " << wrong_reads.front());
  const auto misplaced = c.wait_for_exact_placement({0, 2, joiner}, data.keys);
  CHECK(misplaced.empty());
  if (!misplaced.empty())
    MESSAGE(misplaced.size() << " misplaced keys, the first: " << misplaced.front());
  for (int node : {0, 2, joiner}) {
    CHECK(unreadable(c, node, data.keys) == 0);
    CHECK(wrong_counters(c, node, data.counters) == 0);
  }
  MESSAGE("rebalancing:\n" << c.log_lines({0, 2, joiner}, "pass done"));
}

TEST_CASE(
    "slot pushes to a node frozen mid-pass fail when its link drops, not after their timeout") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  auto data = write_data(c, 600, 0);
  REQUIRE(c.wait_for_exact_placement({0, 1, 2}, data.keys).empty());
  // The node that does not hold node0's replicas yet: made node0's twin, it must get them all.
  std::set<int> node0_slots;
  auto view = c.view(0);
  for (const auto& slot : view["node0"].second) node0_slots.insert(slot.get<int>());
  int newcomer = 2;
  for (const auto& [key, holders] : c.placement({0, 1, 2}))
    if (node0_slots.count(ovo::slot_of(key)) && holders.count("node2")) newcomer = 1;
  c.nodes[static_cast<std::size_t>(newcomer)]->signal(SIGSTOP);
  const auto twin = test_cluster::name(newcomer);
  REQUIRE(run_ovoctl({"--node", c.api_address(0), "add-twin", "node0", twin}).exit_code == 0);
  std::this_thread::sleep_for(500ms);  // the pass (300 ms after the change) is pushing to it
  // The pushes waiting on the frozen node fail once heartbeats drop its link (2 s), instead of
  // holding the pass for the 30 s a slot push may take; this pass then reports them failed.
  const auto started = std::chrono::steady_clock::now();
  auto pass = run_ovoctl({"--node", c.api_address(0), "--json", "rebalance"});
  const auto waited = std::chrono::steady_clock::now() - started;
  CHECK_MESSAGE(waited < 15s, pass.output);
  c.nodes[static_cast<std::size_t>(newcomer)]->signal(SIGCONT);
  REQUIRE(c.converged({0, 1, 2}, 3));
  // The retried pass delivers them: node0's keys are on node0 and its twin.
  std::vector<std::string> owned_by_node0;
  for (const auto& key : data.keys)
    if (node0_slots.count(ovo::slot_of(key))) owned_by_node0.push_back(key);
  bool on_twin = false;
  for (int attempt = 0; attempt < 100 && !on_twin; ++attempt) {
    auto where = c.placement({0, 1, 2});
    on_twin = std::all_of(owned_by_node0.begin(), owned_by_node0.end(), [&](const auto& key) {
      return where[key] == std::set<std::string>{"node0", twin};
    });
    if (!on_twin) std::this_thread::sleep_for(200ms);
  }
  CHECK(on_twin);
  for (int node = 0; node < 3; ++node) CHECK(unreadable(c, node, data.keys) == 0);
}

TEST_CASE("graceful leave: SIGTERM with LeaveOnShutdown hands every slot over, then exits 0") {
  test_cluster c(3, R"({"LeaveOnShutdown":true})");
  REQUIRE(c.converged({0, 1, 2}, 3));
  auto data = write_data(c, 2'000, 200);
  std::atomic<bool> stop{false};
  auto writer = std::async(std::launch::async, keep_writing, std::ref(c), 0, "during-leave-",
                           std::cref(stop));
  std::this_thread::sleep_for(300ms);
  CHECK(c.nodes[1]->stop(SIGTERM, 30s) == 0);
  stop = true;
  auto acknowledged = writer.get();
  data.keys.insert(data.keys.end(), acknowledged.begin(), acknowledged.end());
  CHECK(c.converged({0, 2}, 2));  // the leaver is gone from the topology, not INACTIVE
  const auto misplaced = c.wait_for_exact_placement({0, 2}, data.keys);
  CHECK(misplaced.empty());
  for (int node : {0, 2}) {
    CHECK(unreadable(c, node, data.keys) == 0);
    CHECK(wrong_counters(c, node, data.counters) == 0);
  }
  CHECK(c.nodes[1]->log().find("every slot handed over") != std::string::npos);
}

TEST_CASE(
    "a node unreachable for DeadNodeRemovalSeconds is removed, its keys get two copies again") {
  test_cluster c(3, R"({"DeadNodeRemovalSeconds":1})");
  REQUIRE(c.converged({0, 1, 2}, 3));
  auto data = write_data(c, 1'000, 100);
  c.nodes[1]->stop(SIGKILL, 2s);
  CHECK(c.converged({0, 2}, 2));  // gone from the topology, not INACTIVE
  const auto misplaced = c.wait_for_exact_placement({0, 2}, data.keys);
  CHECK(misplaced.empty());
  for (int node : {0, 2}) {
    CHECK(unreadable(c, node, data.keys) == 0);
    CHECK(wrong_counters(c, node, data.counters) == 0);
  }
}

TEST_CASE("churn inside one arrival window: kill, restart, then a graceful leave loses no copy") {
  test_cluster c(3, R"({"LeaveOnShutdown":true})");
  REQUIRE(c.converged({0, 1, 2}, 3));
  auto data = write_data(c, 1'000, 100);
  c.nodes[1]->stop(SIGKILL, 2s);
  std::this_thread::sleep_for(1500ms);
  c.restart(1);
  REQUIRE(c.converged({0, 1, 2}, 3));
  REQUIRE(c.wait_for_exact_placement({0, 1, 2}, data.keys).empty());
  CHECK(c.nodes[2]->stop(SIGTERM, 30s) == 0);
  const bool one_cluster_of_two = c.converged({0, 1}, 2);
  CHECK(one_cluster_of_two);
  // Seen once in CI, never reproduced alone (130 runs): the logs are what would explain it.
  if (!one_cluster_of_two)
    for (int node : {0, 1, 2})
      MESSAGE(c.name(node) << "'s log:\n" << c.nodes[static_cast<std::size_t>(node)]->log());
  const auto misplaced = c.wait_for_exact_placement({0, 1}, data.keys);
  CHECK(misplaced.empty());
  if (!misplaced.empty())
    MESSAGE(misplaced.size() << " misplaced keys, the first: " << misplaced.front());
  for (int node : {0, 1}) CHECK(wrong_counters(c, node, data.counters) == 0);
}

namespace {

/// node0's keys end up on node0 and its twin node2 only, and survive node0's kill.
void check_twin_holds_keys(test_cluster& c) {
  REQUIRE(c.converged({0, 1, 2}, 3));
  bool twin_known = false;
  for (int attempt = 0; attempt < 100 && !twin_known; ++attempt) {
    const auto envelope = c.call(1, "GET", "/ovo/cluster").envelope();
    for (const auto& n : envelope["Data"]["Nodes"])
      twin_known = twin_known || (n["Name"] == "node0" && n["Twins"] == json{"node2"});
    if (!twin_known) std::this_thread::sleep_for(100ms);
  }
  REQUIRE(twin_known);
  auto data = write_data(c, 600, 0);
  REQUIRE(c.wait_for_exact_placement({0, 1, 2}, data.keys).empty());
  const auto node0_slots = c.view(0)["node0"].second;
  auto where = c.placement({0, 1, 2});
  int on_twin = 0, checked = 0;
  for (const auto& key : data.keys)
    for (const auto& slot : node0_slots)
      if (slot == ovo::slot_of(key)) {
        ++checked;
        on_twin += where[key] == std::set<std::string>{"node0", "node2"};
      }
  CHECK(checked > 0);
  CHECK(on_twin == checked);
  c.nodes[0]->stop(SIGKILL, 2s);
  bool readable = false;
  for (int attempt = 0; attempt < 50 && !readable; ++attempt) {
    readable = unreadable(c, 1, data.keys) == 0;
    if (!readable) std::this_thread::sleep_for(100ms);
  }
  CHECK(readable);
  CHECK(c.view(1)["node2"].second.size() > c.view(1)["node1"].second.size());  // took node0's
}

}  // namespace

TEST_CASE("a twin added live holds its node's keys and serves them after a kill") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  REQUIRE(run_ovoctl({"--node", c.api_address(1), "add-twin", "node0", "node2"}).exit_code == 0);
  check_twin_holds_keys(c);
}

TEST_CASE("a stepbrother makes the node it names take it as a twin") {
  test_cluster c(3, "{}", [](int i, node_options& options) {
    if (i == 2) options.stepbrothers_json = R"(["node0"])";
  });
  check_twin_holds_keys(c);
}
