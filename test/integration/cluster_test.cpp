// Several real nodes on loopback: membership converges, any node serves any key by forwarding
// to its owner, a killed node is noticed and answered for with 503, a restarted node rejoins.

#include "core/base64.hpp"
#include "core/slot_hash.hpp"
#include "test/integration/api_session.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <future>
#include <memory>
#include <random>
#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

TEST_CASE("three nodes converge to one view with the balanced layout") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  std::vector<std::size_t> sizes;
  for (const auto& [name, entry] : c.view(0)) sizes.push_back(entry.second.size());
  std::sort(sizes.begin(), sizes.end());
  CHECK(sizes == std::vector<std::size_t>{42, 43, 43});
  for (int i = 0; i < c.size(); ++i) {
    const auto temp =
        json::parse(read_file(c.nodes[static_cast<std::size_t>(i)]->config_path() + ".temp"));
    CHECK(temp["Topology"]["Nodes"].size() == 3);
  }
}

TEST_CASE("objects and counters written through random nodes read back through every node") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  std::mt19937 rng(7);
  constexpr int objects = 10'000, counters = 1'000;
  for (int i = 0; i < objects; ++i) {
    const auto node = static_cast<int>(rng() % c.size());
    auto response = c.call(
        node, "PUT", "/ovo/keystorage",
        json{{"Key", "obj-" + std::to_string(i)}, {"Data", to_base64("value-" + std::to_string(i))}}
            .dump());
    REQUIRE(response.status == 200);
  }
  for (int i = 0; i < counters; ++i)
    for (int add = 1; add <= 2; ++add)
      REQUIRE(c.call(static_cast<int>(rng() % c.size()), "PUT", "/ovo/counters",
                     json{{"Key", "ctr-" + std::to_string(i)}, {"Value", i + add}}.dump())
                  .status == 200);
  int64_t stored = 0;
  for (int node = 0; node < c.size(); ++node) {
    stored += c.call(node, "GET", "/ovo/keystorage").envelope()["Data"].get<int64_t>();
    int wrong = 0;
    for (int i = 0; i < objects; ++i) {
      auto response = c.call(node, "GET", "/ovo/keystorage/obj-" + std::to_string(i));
      const auto data = response.envelope()["Data"];
      if (response.status != 200 ||
          ovo::decode_base64(data["Data"].get<std::string>()) != "value-" + std::to_string(i))
        ++wrong;
    }
    CHECK(wrong == 0);
    for (int i = 0; i < counters; ++i)
      CHECK(c.call(node, "GET", "/ovo/counters/ctr-" + std::to_string(i))
                .envelope()["Data"]["Value"] == 2 * i + 3);
  }
  CHECK(stored == 2 * objects);  // each object lives on its owner and on one twin
}

TEST_CASE("errors from the owner are relayed unchanged, and key moves cross nodes") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  // Find a key that node 0 does not own, so the request is forwarded.
  auto owned_by_0 = c.view(0)["node0"].second;
  std::string remote_key;
  for (int i = 0; remote_key.empty(); ++i) {
    auto key = "probe-" + std::to_string(i);
    bool mine = false;
    for (const auto& slot : owned_by_0) mine = mine || slot == ovo::slot_of(key);
    if (!mine) remote_key = key;
  }
  auto missing = c.call(0, "GET", "/ovo/keystorage/" + remote_key);
  CHECK(missing.status == 404);
  CHECK(missing.code() == "101");
  for (int i = 0; i < 50; ++i)
    REQUIRE(c.call(0, "PUT", "/ovo/keystorage",
                   json{{"Key", "move-" + std::to_string(i)}, {"Data", to_base64("m")}}.dump())
                .status == 200);
  for (int i = 0; i < 50; ++i)
    CHECK(c.call(1, "POST", "/ovo/keystorage/move-" + std::to_string(i) + "/updatekey",
                 json{{"NewKey", "moved-" + std::to_string(i)}}.dump())
              .status == 200);
  int64_t total = 0;
  for (int node = 0; node < c.size(); ++node)
    total += c.call(node, "GET", "/ovo/keystorage").envelope()["Data"].get<int64_t>();
  CHECK(total == 2 * 50);  // owner and twin, old keys gone from both
  for (int i = 0; i < 50; ++i) {
    CHECK(c.call(2, "GET", "/ovo/keystorage/moved-" + std::to_string(i)).status == 200);
    CHECK(c.call(2, "GET", "/ovo/keystorage/move-" + std::to_string(i)).status == 404);
  }
}

TEST_CASE("concurrent requests forwarded and replicated together each get their own answer") {
  // Many clients at once through one node: its connection to the owner sends the commands (and
  // the owner its replica writes) in batches. Every answer must still be the one for its request.
  test_cluster c(2);
  REQUIRE(c.converged({0, 1}, 2));
  constexpr int clients = 16, per_client = 200;
  auto client_run = [&](int client_index) {
    http_client client;
    int wrong = 0;
    for (int i = 0; i < per_client; ++i) {
      const auto key = "t" + std::to_string(client_index) + "-" + std::to_string(i);
      const auto node = static_cast<std::size_t>((client_index + i) % 2);
      auto written = client.request("PUT", c.nodes[node]->url("/ovo/keystorage"),
                                    json{{"Key", key}, {"Data", to_base64(key + "-v")}}.dump());
      auto read = client.get(c.nodes[1 - node]->url("/ovo/keystorage/" + key));
      auto missing = client.get(c.nodes[node]->url("/ovo/keystorage/never-" + key));
      const auto data = read.envelope()["Data"];
      const bool read_right = read.status == 200 && data.is_object() && data["Key"] == key &&
                              data["Data"].is_string() &&
                              ovo::decode_base64(data["Data"].get<std::string>()) == key + "-v";
      if (written.status != 200 || !read_right || missing.status != 404) ++wrong;
    }
    return wrong;
  };
  std::vector<std::future<int>> runs;
  for (int i = 0; i < clients; ++i) runs.push_back(std::async(std::launch::async, client_run, i));
  int wrong = 0;
  for (auto& run : runs) wrong += run.get();
  CHECK(wrong == 0);
  // Two nodes: every key has its replica on the node that does not own it.
  for (int node = 0; node < 2; ++node)
    CHECK(c.call(node, "GET", "/ovo/keystorage").envelope()["Data"] == clients * per_client);
}

TEST_CASE(
    "a frozen peer holds requests up for seconds at most, and its twin writes count as lagging") {
  // One copy is enough here: the writes are answered 200 without the frozen twin (in-sync
  // copies with MinCopies 2: in_sync_test.cpp). Two nodes serve apart only with
  // PartitionPolicy "available" (one of two is no majority).
  test_cluster c(2, R"({"MinCopies":1,"PartitionPolicy":"available"})");
  REQUIRE(c.converged({0, 1}, 2));
  const auto key0 = c.key_owned_by(0, "frozen-"), key1 = c.key_owned_by(1, "frozen-");
  REQUIRE(c.put(1, key1, "v1").status == 200);
  // Written before too: a key missing on a node that just joined is first looked for on the
  // slot's previous owner, which would be a wait of its own.
  REQUIRE(c.put(0, key0, "old").status == 200);
  c.nodes[1]->signal(SIGSTOP);
  // Both wait on node1 from node0: a replica write of key0 and a forwarded read of key1.
  const auto started = std::chrono::steady_clock::now();
  auto elapsed_s = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  auto write = std::async(std::launch::async, [&] {
    http_client client;
    auto response = client.request("PUT", c.nodes[0]->url("/ovo/keystorage"),
                                   json{{"Key", key0}, {"Data", to_base64("v0")}}.dump());
    return std::make_pair(response.status, elapsed_s());
  });
  auto read = std::async(std::launch::async, [&] {
    http_client client;
    auto response = client.get(c.nodes[0]->url("/ovo/keystorage/" + key1));
    return std::make_pair(response.status, elapsed_s());
  });
  // Sent while the first write's batch waits on node1: it waits behind that batch.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto later_write = std::async(std::launch::async, [&] {
    http_client client;
    auto response = client.request("PUT", c.nodes[0]->url("/ovo/keystorage"),
                                   json{{"Key", key0}, {"Data", to_base64("v0 again")}}.dump());
    return std::make_pair(response.status, elapsed_s());
  });
  const auto [write_status, write_s] = write.get();
  const auto [read_status, read_s] = read.get();
  const auto [later_status, later_s] = later_write.get();
  MESSAGE("write answered " << write_status << " after " << write_s << " s, read " << read_status
                            << " after " << read_s << " s, later write " << later_status
                            << " after " << later_s << " s");
  CHECK(write_status == 200);  // the owner stored it; the frozen twin only lags
  CHECK(write_s < 4.0);
  CHECK(later_status == 200);
  CHECK(later_s < 4.3);
  // 503 while node1 is only unreachable, 200 once node0 serves node1's slots from its replica.
  CHECK((read_status == 503 || read_status == 200));
  CHECK(read_s < 4.5);
  auto status = run_ovoctl({"--node", c.api_address(0), "--json", "status"});
  REQUIRE(status.exit_code == 0);
  CHECK(json::parse(status.output)["LaggingWrites"].get<uint64_t>() >= 1);
  c.nodes[1]->signal(SIGCONT);
  CHECK(c.converged({0, 1}, 2));
  CHECK(c.value_of(1, key0) == "v0 again");  // the next pass gives the thawed twin what it missed
}

TEST_CASE("kill -9: every acknowledged object and counter stays readable through the survivors") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  constexpr int objects = 2'000, counters = 200;
  for (int i = 0; i < objects; ++i)
    REQUIRE(c.call(i % c.size(), "PUT", "/ovo/keystorage",
                   json{{"Key", "k" + std::to_string(i)},
                        {"Data", to_base64(std::to_string(i))},
                        {"TTL", i % 2 ? 600 : 0}}
                       .dump())
                .status == 200);
  for (int i = 0; i < counters; ++i)
    REQUIRE(c.call(i % c.size(), "PUT", "/ovo/counters",
                   json{{"Key", "c" + std::to_string(i)}, {"Value", i}}.dump())
                .status == 200);
  const auto killed = std::chrono::steady_clock::now();
  c.nodes[1]->stop(SIGKILL, 2s);
  auto all_readable = [&](int node) {
    for (int i = 0; i < objects; ++i) {
      auto response = c.call(node, "GET", "/ovo/keystorage/k" + std::to_string(i));
      if (response.status != 200 ||
          ovo::decode_base64(response.envelope()["Data"]["Data"].get<std::string>()) !=
              std::to_string(i))
        return false;
    }
    for (int i = 0; i < counters; ++i)
      if (c.call(node, "GET", "/ovo/counters/c" + std::to_string(i)).envelope()["Data"]["Value"] !=
          i)
        return false;
    return true;
  };
  bool readable = false;
  for (int attempt = 0; attempt < 100 && !readable; ++attempt) {  // at most ~10 s
    readable = all_readable(0) && all_readable(2);
    if (!readable) std::this_thread::sleep_for(100ms);
  }
  const auto took = std::chrono::steady_clock::now() - killed;
  CHECK(readable);
  MESSAGE("every key readable through both survivors "
          << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
          << " ms after kill -9 (including the read-back of all keys)");
  CHECK(c.view(0)["node1"].first == "INACTIVE");
  CHECK(c.view(0)["node1"].second.empty());  // its slots passed to the twin
}

TEST_CASE("a frozen node (SIGSTOP) is noticed by heartbeats, rejoins when it thaws, catches up") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  std::vector<std::string> keys;
  for (int i = 0; i < 300; ++i) {
    keys.push_back("f" + std::to_string(i));
    REQUIRE(c.put(0, keys.back(), "v").status == 200);
  }
  c.nodes[1]->signal(SIGSTOP);
  bool noticed = false;
  for (int attempt = 0; attempt < 100 && !noticed; ++attempt) {  // at most ~5 s
    noticed = c.view(0)["node1"].first == "INACTIVE" && c.view(2)["node1"].first == "INACTIVE";
    if (!noticed) std::this_thread::sleep_for(50ms);
  }
  CHECK(noticed);
  // Under the majority rule the survivors serve node1's slots once they agreed the layout
  // without it, a round trip after they marked it INACTIVE: a read in between may answer 503.
  int readable = 0;
  for (int attempt = 0; attempt < 50 && readable < 300; ++attempt) {  // at most ~5 s
    if (attempt > 0) std::this_thread::sleep_for(100ms);
    readable = 0;
    for (const auto& key : keys) readable += c.value_of(2, key) == "v";
  }
  CHECK(readable == 300);
  // Written while node1 is frozen: it must hold its share of them once it thaws.
  for (int i = 0; i < 300; ++i) {
    keys.push_back("while-frozen-" + std::to_string(i));
    REQUIRE(c.put(2, keys.back(), "v").status == 200);
  }
  c.nodes[1]->signal(SIGCONT);
  CHECK(c.converged({0, 1, 2}, 3));
  const auto misplaced = c.wait_for_exact_placement({0, 1, 2}, keys);
  CHECK(misplaced.empty());
  if (!misplaced.empty())
    MESSAGE(misplaced.size() << " misplaced keys, the first: " << misplaced.front() << "\n"
                             << c.log_lines({0, 1, 2}, " cluster: ")
                             << c.log_lines({0, 1, 2}, " rebalance: "));
}

TEST_CASE("writes keep flowing during a kill -9, every write answered 200 is readable after") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  std::atomic<bool> stop{false};
  // Two writers through the nodes that survive; bounded in count and time.
  auto writer = [&](int node, std::string prefix) {
    std::vector<std::string> acknowledged;
    http_client client;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    for (int i = 0; i < 5'000 && !stop && std::chrono::steady_clock::now() < deadline; ++i) {
      const auto key = prefix + std::to_string(i);
      auto response =
          client.request("PUT", c.nodes[static_cast<std::size_t>(node)]->url("/ovo/keystorage"),
                         json{{"Key", key}, {"Data", to_base64(key)}}.dump());
      if (response.status == 200) acknowledged.push_back(key);
    }
    return acknowledged;
  };
  auto first = std::async(std::launch::async, writer, 0, "w0-");
  auto second = std::async(std::launch::async, writer, 2, "w2-");
  std::this_thread::sleep_for(500ms);
  c.nodes[1]->stop(SIGKILL, 2s);
  std::this_thread::sleep_for(1500ms);
  stop = true;
  auto acknowledged = first.get();
  auto more = second.get();
  acknowledged.insert(acknowledged.end(), more.begin(), more.end());
  REQUIRE(acknowledged.size() > 100);
  REQUIRE(c.failed_over({0, 2}, 1));  // node1's keys are served by its twin from now on
  int lost = 0;
  for (const auto& key : acknowledged)
    for (int node : {0, 2}) {
      auto response = c.call(node, "GET", "/ovo/keystorage/" + key);
      if (response.status != 200 ||
          ovo::decode_base64(response.envelope()["Data"]["Data"].get<std::string>()) != key)
        ++lost;
    }
  MESSAGE(acknowledged.size() << " writes acknowledged around the kill");
  CHECK(lost == 0);
}

TEST_CASE("a TTL set through one node expires on the twin after failover too") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  // Keys owned by node1, so they survive only as node1's replicas.
  auto node1_slots = c.view(0)["node1"].second;
  std::vector<std::string> keys;
  for (int i = 0; keys.size() < 20; ++i) {
    auto key = "ttl-" + std::to_string(i);
    for (const auto& slot : node1_slots)
      if (slot == ovo::slot_of(key)) keys.push_back(key);
  }
  const auto written = std::chrono::steady_clock::now();
  for (const auto& key : keys)
    REQUIRE(c.call(0, "PUT", "/ovo/keystorage",
                   json{{"Key", key}, {"Data", to_base64("v")}, {"TTL", 6}}.dump())
                .status == 200);
  c.nodes[1]->stop(SIGKILL, 2s);
  REQUIRE(c.failed_over({0, 2}, 1, 4));  // within the TTL
  for (const auto& key : keys) CHECK(c.call(0, "GET", "/ovo/keystorage/" + key).status == 200);
  std::this_thread::sleep_until(written + 6500ms);
  for (const auto& key : keys) CHECK(c.call(2, "GET", "/ovo/keystorage/" + key).status == 404);
}

TEST_CASE("a node restarted from its .temp file rejoins the cluster") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  const auto slots_before = c.view(0)["node2"].second;
  c.nodes[2]->stop(SIGKILL, 2s);
  node_options restart;
  restart.port = c.ports[2];
  restart.config_file = c.nodes[2]->config_path() + ".temp";
  // The old process's directory holds the .temp file; start the new one beside it.
  node_process again(restart);
  CHECK(c.converged({0, 1}, 3));
  CHECK(again.running());
  CHECK(c.view(0)["node2"].second == slots_before);  // the recorded join time keeps its place
}

TEST_CASE("Replication off keeps one copy, async answers first and the twin follows") {
  SUBCASE("off") {
    test_cluster c(2, R"({"Replication":"off"})");
    REQUIRE(c.converged({0, 1}, 2));
    for (int i = 0; i < 200; ++i)
      REQUIRE(c.put(i % 2, "one-" + std::to_string(i), "v").status == 200);
    int64_t stored = 0;
    for (int node = 0; node < 2; ++node)
      stored += c.call(node, "GET", "/ovo/keystorage").envelope()["Data"].get<int64_t>();
    CHECK(stored == 200);
  }
  SUBCASE("async") {
    test_cluster c(2, R"({"Replication":"async","ReplicaTimeoutMs":2000})");
    REQUIRE(c.converged({0, 1}, 2));
    REQUIRE(c.ready({0, 1}));
    std::vector<std::string> keys;
    for (int i = 0; i < 200; ++i) {
      keys.push_back("two-" + std::to_string(i));
      REQUIRE(c.put(i % 2, keys.back(), "v").status == 200);
    }
    CHECK(c.wait_for_exact_placement({0, 1}, keys, 5).empty());
    // Answered before the twin applied it: a frozen twin (which would hold a synchronous
    // write for ReplicaTimeoutMs) does not slow the answer; the twin follows once thawed.
    const auto key = c.key_owned_by(0, "first-");
    c.nodes[1]->signal(SIGSTOP);
    const auto start = std::chrono::steady_clock::now();
    CHECK(c.put(0, key, "v").status == 200);
    const double took =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    c.nodes[1]->signal(SIGCONT);
    MESSAGE("async write with a frozen twin answered after " << took << " s");
    CHECK(took < 0.5);
    keys.push_back(key);
    CHECK(c.wait_for_exact_placement({0, 1}, keys, 10).empty());
  }
}
