// build/ovoctl against a real 3-node cluster: every command, --json output, script mode, exit
// codes, an unreachable node.

#include "core/base64.hpp"
#include "core/slot_hash.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <sstream>
#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

/// The JSON lines of an output (ovoctl prints one document per line with --json).
std::vector<json> json_lines(const std::string& output) {
  std::vector<json> out;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty() && line.front() == '{') out.push_back(json::parse(line));
  return out;
}

json only_json(const run_result& result) {
  auto lines = json_lines(result.output);
  REQUIRE_MESSAGE(lines.size() == 1, result.output);
  return lines.front();
}

/// The options of a node started alone, named `name`.
node_options started_alone_as(const std::string& name) {
  node_options alone;
  alone.name = name;
  return alone;
}

/// "127.0.0.1:port" of the node-to-node API of `node` (its config holds the free port picked).
std::string api_address_of(const node_process& node) {
  const auto config = json::parse(read_file(node.config_path()));
  return "127.0.0.1:" + std::to_string(config["ServerNode"]["Node"]["APIPort"].get<int>());
}

/// ovoctl join of `late`, a node started alone, to `c`'s cluster, node0 as the seed.
run_result ovoctl_join(test_cluster& c, const node_process& late) {
  const auto address = api_address_of(late);
  return run_ovoctl({"--node", address, "join", address, "--seed", c.api_address(0)});
}

/// Joins `late` to `c`'s cluster (ovoctl_join), requiring that it succeeds.
void join_through_ovoctl(test_cluster& c, const node_process& late) {
  const auto join = ovoctl_join(c, late);
  REQUIRE_MESSAGE(join.exit_code == 0, join.output);
}

/// The first `count` keys named k0, k1, ... whose slots node `name` owns in node 0's view.
std::vector<std::string> keys_served_by(test_cluster& c, const std::string& name,
                                        std::size_t count) {
  const auto range = c.view(0)[name].second;
  const std::set<int> slots(range.begin(), range.end());
  REQUIRE_FALSE(slots.empty());
  std::vector<std::string> keys;
  for (int i = 0; keys.size() < count; ++i)
    if (auto key = "k" + std::to_string(i); slots.count(ovo::slot_of(key))) keys.push_back(key);
  return keys;
}

}  // namespace

TEST_CASE("ovoctl inspects a live cluster: ping, topology, status, stats") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  for (int i = 0; i < 90; ++i) REQUIRE(c.put(i % 3, "k" + std::to_string(i), "v").status == 200);
  const auto node = c.api_address(0);

  auto ping = run_ovoctl({"--node", node, "ping"});
  CHECK(ping.exit_code == 0);
  CHECK(ping.output.find("pong from node0") != std::string::npos);

  auto table = run_ovoctl({"--node", node, "topology"});
  CHECK(table.exit_code == 0);
  CHECK(table.output.find("NODE") != std::string::npos);
  CHECK(table.output.find("node2") != std::string::npos);

  auto topology = run_ovoctl({"--node", node, "--json", "topology"});
  REQUIRE(topology.exit_code == 0);
  const auto nodes = only_json(topology)["Nodes"];
  REQUIRE(nodes.size() == 3);
  std::size_t slots = 0;
  uint64_t objects = 0;
  for (const auto& n : nodes) {
    CHECK(n["State"] == "ACTIVE");
    slots += n["HashRange"].size();
    objects += n["Objects"].get<uint64_t>();
  }
  CHECK(slots == 128);
  CHECK(objects == 2 * 90);  // owner and twin

  auto status = run_ovoctl({"--node", node, "status", "node1", "--json"});
  REQUIRE(status.exit_code == 0);
  const auto s = only_json(status);
  CHECK(s["Name"] == "node1");
  CHECK(s["Slots"].get<int>() > 0);
  CHECK(s["RssBytes"].get<uint64_t>() > 0);

  auto stats = run_ovoctl({"--node", node, "--json", "stats"});
  REQUIRE(stats.exit_code == 0);
  uint64_t puts = 0;
  const auto per_node = only_json(stats)["Nodes"];
  for (const auto& n : per_node) puts += n["Requests"]["put"].get<uint64_t>();
  CHECK(puts == 90);  // counted where the client sent them
}

TEST_CASE("ovoctl changes twins live, the change reaches every view and the .temp file") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  const auto node = c.api_address(0);
  REQUIRE(run_ovoctl({"--node", node, "add-twin", "node1", "node2"}).exit_code == 0);
  bool everywhere = false;
  for (int attempt = 0; attempt < 50 && !everywhere; ++attempt) {
    everywhere = true;
    for (int i = 0; i < 3; ++i) {
      const auto view = c.call(i, "GET", "/ovo/cluster").envelope()["Data"]["Nodes"];
      for (const auto& n : view)
        if (n["Name"] == "node1") everywhere = everywhere && n["Twins"] == json{"node2"};
    }
    if (!everywhere) std::this_thread::sleep_for(100ms);
  }
  CHECK(everywhere);
  const auto temp = json::parse(read_file(c.nodes[1]->config_path() + ".temp"));
  CHECK(temp["ServerNode"]["Twins"] == json{"node2"});
  CHECK(run_ovoctl({"--node", node, "remove-twin", "node1", "node2"}).exit_code == 0);
  CHECK(run_ovoctl({"--node", node, "add-twin", "node1", "nosuch"}).exit_code == 1);
  CHECK(run_ovoctl({"--node", node, "add-twin", "nosuch", "node1"}).exit_code == 1);
}

TEST_CASE("ovoctl exit codes: usage 2, unreachable 3, failure 1") {
  CHECK(run_ovoctl({"frobnicate"}).exit_code == 2);
  CHECK(run_ovoctl({"--node", "nonsense", "ping"}).exit_code == 2);
  CHECK(run_ovoctl({"--timeout", "-1", "ping"}).exit_code == 2);
  CHECK(run_ovoctl({}).exit_code == 2);
  auto help = run_ovoctl({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.output.find("add-twin") != std::string::npos);
  const auto nobody = "127.0.0.1:" + std::to_string(free_port());
  auto unreachable = run_ovoctl({"--node", nobody, "--timeout", "2", "ping"});
  CHECK(unreachable.exit_code == 3);
  CHECK(unreachable.output.find("cannot reach") != std::string::npos);
}

TEST_CASE("OVOCTL_NODE, OVOCTL_JSON and OVOCTL_TIMEOUT stand in for their flags, a flag wins") {
  test_cluster c(1);
  const auto with_env = [](std::vector<std::string> words) {
    std::vector<std::string> command = {"OVOCTL_NODE=127.0.0.1:1", "OVOCTL_JSON=true",
                                        "OVOCTL_TIMEOUT=2", OVOCTL_BINARY};
    command.insert(command.end(), words.begin(), words.end());
    return run_program("/usr/bin/env", command);
  };
  const auto from_env = with_env({"--node", c.api_address(0), "status"});
  REQUIRE_MESSAGE(from_env.exit_code == 0, from_env.output);
  CHECK(only_json(from_env)["Name"] == "node0");  // JSON from OVOCTL_JSON
  const auto unreachable = with_env({"ping"});    // OVOCTL_NODE: nobody listens on port 1
  CHECK(unreachable.exit_code == 3);
  CHECK(unreachable.output.find("127.0.0.1:1") != std::string::npos);
}

TEST_CASE("ovoctl leave refuses to drain the last node: nowhere to put its keys") {
  test_cluster c(1);
  REQUIRE(c.put(0, "kept", "v").status == 200);
  auto leave = run_ovoctl({"--node", c.api_address(0), "leave", "node0"});
  CHECK(leave.exit_code == 1);
  CHECK(leave.output.find("no other active node") != std::string::npos);
  CHECK(c.nodes[0]->running());
  CHECK(c.value_of(0, "kept") == "v");
}

TEST_CASE("ovoctl --script runs line by line, stops at the failing line unless --keep-going") {
  test_cluster c(2);
  REQUIRE(c.converged({0, 1}, 2));
  const auto node = c.api_address(0);
  const std::string script =
      "# a comment\n"
      "ping\n"
      "\n"
      "add-twin node0 nosuch   # fails: no such node\n"
      "status\n";
  auto stopped = run_ovoctl({"--node", node, "--script", "-"}, script);
  CHECK(stopped.exit_code == 1);
  CHECK(stopped.output.find("line 4") != std::string::npos);
  CHECK(stopped.output.find("pong from node0") != std::string::npos);
  CHECK(stopped.output.find("uptime") == std::string::npos);  // line 5 never ran

  auto kept_going = run_ovoctl({"--node", node, "--script", "-", "--keep-going"}, script);
  CHECK(kept_going.exit_code == 1);
  CHECK(kept_going.output.find("uptime") != std::string::npos);

  const auto dir = make_temp_dir();
  write_file(dir + "/ok.txt", "ping\nrebalance\n");
  CHECK(run_ovoctl({"--node", node, "--script", dir + "/ok.txt"}).exit_code == 0);
  CHECK(run_ovoctl({"--node", node, "--script", dir + "/missing.txt"}).exit_code == 2);
  std::filesystem::remove_all(dir);
}

TEST_CASE("ovoctl leave drains a node and stops it, rebalance and join work on a live cluster") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  std::vector<std::string> keys;
  for (int i = 0; i < 300; ++i) {
    keys.push_back("k" + std::to_string(i));
    REQUIRE(c.put(i % 3, keys.back(), "v-" + keys.back()).status == 200);
  }
  auto leave = run_ovoctl({"--node", c.api_address(0), "--json", "leave", "node2"});
  CHECK(leave.exit_code == 0);
  const auto events = json_lines(leave.output);
  REQUIRE_FALSE(events.empty());
  CHECK(events.back()["Event"] == "done");
  CHECK(c.nodes[2]->stop(0, 10s) == 0);  // it stopped by itself (signal 0 only checks)
  CHECK(c.converged({0, 1}, 2));
  CHECK(c.wait_for_exact_placement({0, 1}, keys).empty());

  // A node started alone joins through ovoctl and takes its share.
  auto late = std::make_unique<node_process>(started_alone_as("late"));
  const auto late_address = api_address_of(*late);
  auto join = ovoctl_join(c, *late);
  CHECK_MESSAGE(join.exit_code == 0, join.output);
  // Joined means every node reaches it: it is ACTIVE and serving everywhere at once.
  for (int i : {0, 1}) {
    auto view = c.view(i);
    CHECK(view["late"].first == "ACTIVE");
    CHECK_FALSE(view["late"].second.empty());
  }
  auto rebalance = run_ovoctl({"--node", c.api_address(0), "--json", "rebalance"});
  CHECK_MESSAGE(rebalance.exit_code == 0, rebalance.output);
  int passes = 0;
  for (const auto& line : json_lines(rebalance.output)) {
    if (line["Event"] == "node") ++passes;
    if (line["Event"] == "progress") CHECK(line["Arriving"].is_object());  // a pass over 0.5 s
  }
  CHECK(passes == 3);  // node0, node1, late
  // The passes after the join logged each slot handed to the new node.
  CHECK(c.log_lines({0, 1}, "handed to late").find("entries); ") != std::string::npos);
  for (const auto& key : keys) CHECK(c.value_of(0, key) == "v-" + key);
}

TEST_CASE("a node started alone joins through ovoctl: every key reads right away, through it too") {
  test_cluster c(2);
  REQUIRE(c.converged({0, 1}, 2));
  std::vector<std::string> keys;
  for (int i = 0; i < 300; ++i) {
    keys.push_back("k" + std::to_string(i));
    REQUIRE(c.put(i % 2, keys.back(), "v-" + keys.back()).status == 200);
  }
  node_process late(started_alone_as("late"));
  join_through_ovoctl(c, late);
  // At once, before any pass moved the data: the slots late took are read from their
  // previous owners meanwhile, never answered as missing.
  http_client client;
  std::vector<std::string> wrong;
  for (const auto& key : keys) {
    auto response = client.get(late.url("/ovo/keystorage/" + key));
    const auto value =
        response.status == 200
            ? ovo::decode_base64(response.envelope()["Data"]["Data"].get<std::string>())
            : std::nullopt;
    if (value != "v-" + key) wrong.push_back(key + ": " + std::to_string(response.status));
  }
  CHECK_MESSAGE(wrong.empty(), wrong.size() << " keys read wrong through late, first "
                                            << (wrong.empty() ? "" : wrong.front()));
  for (const auto& key : keys) CHECK(c.value_of(1, key) == "v-" + key);  // forwarded to late
  auto topology = run_ovoctl({"--node", c.api_address(0), "--json", "topology"});
  REQUIRE(topology.exit_code == 0);
  for (const auto& node : only_json(topology)["Nodes"]) {
    CHECK(node["State"] == "ACTIVE");
    if (node["Name"] == "late") CHECK_FALSE(node["HashRange"].empty());
  }
}

TEST_CASE(
    "a node joined through ovoctl counts its seed once: with the seed killed, it and the "
    "third node are a majority and serve") {
  test_cluster c(2);
  REQUIRE(c.converged({0, 1}, 2));
  node_process late(started_alone_as("late"));
  join_through_ovoctl(c, late);
  REQUIRE(c.converged({0, 1}, 3));
  const auto log_before_kill = late.log().size();  // joining, it was a minority for a moment
  c.nodes[0]->stop(SIGKILL, 2s);
  REQUIRE(c.failed_over({1}, 0));
  // late and node1 are 2 of 3 members; the seed's connection is no fourth one.
  http_client client;
  CHECK(within(5, [&] { return client.get(late.url("/readyz")).status == 200; }));
  const auto put = client.request("PUT", late.url("/ovo/keystorage"),
                                  R"({"Key":"after-seed-died","Data":"dg=="})");
  CHECK(put.status == 200);
  CHECK(late.log().find("no majority", log_before_kill) == std::string::npos);
}

TEST_CASE(
    "ovoctl join refuses a node that holds keys or counters, saying how many: it stays alone "
    "and serves them") {
  test_cluster c(2);
  REQUIRE(c.converged({0, 1}, 2));
  node_process late(started_alone_as("late"));
  http_client client;
  REQUIRE(client.request("PUT", late.url("/ovo/keystorage"), R"({"Key":"mine","Data":"dg=="})")
              .status == 200);
  REQUIRE(client.request("PUT", late.url("/ovo/counters"), R"({"Key":"hits","Value":5})").status ==
          200);
  const auto epoch_of_late = [&] {
    return gauge_in(client.get(late.url("/metrics")), "ovo_layout_epoch").value_or(0);
  };
  const auto epoch_alone = epoch_of_late();
  REQUIRE(epoch_alone > 0);
  const auto join = ovoctl_join(c, late);
  CHECK(join.exit_code != 0);
  CHECK_MESSAGE(join.output.find("holds data (keys: 1, counters: 1)") != std::string::npos,
                join.output);
  CHECK(client.get(late.url("/ovo/keystorage/mine")).status == 200);
  CHECK(client.get(late.url("/ovo/counters/hits")).envelope()["Data"]["Value"] == 5);
  CHECK(c.view(0).size() == 2);
  CHECK(c.view(0).count("late") == 0);
  CHECK(epoch_of_late() == epoch_alone);  // its own layouts, not dropped
}

TEST_CASE(
    "ovoctl join refuses a member of a two-node cluster told to join another cluster, saying "
    "why, and told a seed of its own cluster does nothing: both clusters stay as they were") {
  test_cluster c(2);
  REQUIRE(c.converged({0, 1}, 2));
  node_process other(started_alone_as("other"));
  const auto member = c.api_address(1);
  const auto join = run_ovoctl({"--node", member, "join", member, "--seed", api_address_of(other)});
  CHECK(join.exit_code != 0);
  CHECK_MESSAGE(join.output.find("this node is a member of a cluster of 2 (node0, node1) and joins "
                                 "another cluster only alone") != std::string::npos,
                join.output);
  const auto own = run_ovoctl({"--node", member, "join", member, "--seed", c.api_address(0)});
  CHECK_MESSAGE(own.exit_code == 0, own.output);
  // A join that went ahead would have merged the views within milliseconds.
  std::this_thread::sleep_for(1s);
  for (int i : {0, 1}) CHECK(c.view(i).size() == 2);
  http_client client;
  CHECK(client.get(other.url("/ovo/cluster")).envelope()["Data"].size() == 1);
}

TEST_CASE(
    "a node told to join a seed nobody answers at applies no command meanwhile (503, joining), "
    "and joins the cluster when told a seed that answers") {
  test_cluster c(2);
  REQUIRE(c.converged({0, 1}, 2));
  node_process late(started_alone_as("late"));
  const auto address = api_address_of(late);
  const auto nobody = "127.0.0.1:" + std::to_string(free_port());
  const auto lost =
      run_ovoctl({"--node", address, "--timeout", "2", "join", address, "--seed", nobody});
  CHECK(lost.exit_code != 0);  // ovoctl waited for a join that cannot happen
  http_client client;
  const auto put = [&] {
    return client.request("PUT", late.url("/ovo/keystorage"), R"({"Key":"k","Data":"dg=="})");
  };
  const auto refused = put();
  CHECK(refused.status == 503);
  CHECK(refused.header("X-Ovo-Error").find("joining another cluster") != std::string::npos);
  CHECK(client.get(late.url("/ovo/keystorage/k")).status == 503);
  join_through_ovoctl(c, late);
  REQUIRE(c.converged({0, 1}, 3));
  CHECK(within(5, [&] { return put().status == 200; }));
  CHECK(c.value_of(0, "k") == "v");
}

TEST_CASE(
    "a node that agreed layouts up to a higher epoch joins another cluster under the cluster's "
    "epochs: the cluster's later writes of keys it wrote win on every copy after it died") {
  test_cluster c(2);
  REQUIRE(c.converged({0, 1}, 2));
  REQUIRE(c.ready({0, 1}));
  // A node that agreed 40 layouts alone, as one left over from another cluster would have: its
  // saved vote says so, and it is started again from its .temp.
  auto first_run = std::make_unique<node_process>(started_alone_as("late"));
  REQUIRE(first_run->stop(SIGTERM, 5s) == 0);
  const auto vote_path = first_run->config_path() + ".layout";
  auto vote = json::parse(read_file(vote_path));
  vote["Installed"]["Epoch"] = 40;
  write_file(vote_path, vote.dump());
  node_options again;
  again.port = first_run->port();
  again.config_file = first_run->config_path() + ".temp";
  auto late = std::make_unique<node_process>(again);
  http_client client;
  REQUIRE(within(10, [&] {
    return gauge_in(client.get(late->url("/metrics")), "ovo_layout_epoch").value_or(0) >= 40;
  }));
  REQUIRE(c.layout_epoch(0) < 20);
  // It served under epoch 40: reads on every shard, and a key written and deleted again, so it
  // holds nothing but that delete when it joins.
  for (int i = 0; i < 200; ++i)
    REQUIRE(client.get(late->url("/ovo/keystorage/k" + std::to_string(i))).status == 404);
  REQUIRE(
      client.request("PUT", late->url("/ovo/keystorage"), R"({"Key":"k0","Data":"dg=="})").status ==
      200);
  REQUIRE(client.request("DELETE", late->url("/ovo/keystorage/k0")).status == 200);

  join_through_ovoctl(c, *late);
  REQUIRE(c.converged({0, 1}, 3));
  REQUIRE(c.ready({0, 1}));
  CHECK(within(5, [&] {
    return gauge_in(client.get(late->url("/metrics")), "ovo_layout_epoch") == c.layout_epoch(0);
  }));
  const auto keys = keys_served_by(c, "late", 20);
  std::string lates;
  ovo::append_base64(lates, "late's");
  for (const auto& key : keys)
    REQUIRE(client
                .request("PUT", late->url("/ovo/keystorage"),
                         R"({"Key":")" + key + R"(","Data":")" + lates + R"("})")
                .status == 200);
  late->stop(SIGKILL, 5s);
  REQUIRE(within(15, [&] {
    for (int node : {0, 1}) {
      const auto entry = c.view(node)["late"];
      if (entry.first != "INACTIVE" || !entry.second.empty()) return false;
    }
    return true;
  }));
  REQUIRE(c.ready({0, 1}));  // late's slots arrived at their new holders
  for (const auto& key : keys) REQUIRE(c.put(0, key, "cluster's").status == 200);
  for (const auto& key : keys)
    for (int node : {0, 1}) CHECK(c.value_of(node, key) == "cluster's");
  // Every copy is the cluster's write: none stamped by late's old epochs beat it. Verify leaves
  // out writes younger than ReplicaTimeoutMs (2 s), still possibly on their way.
  std::this_thread::sleep_for(2500ms);
  const auto verify = run_ovoctl({"--node", c.api_address(0), "--json", "verify"});
  REQUIRE_MESSAGE(verify.exit_code == 0, verify.output);
  CHECK(verify.output.find("\"KeysDiffering\":0") != std::string::npos);
  CHECK(late->log().find("joining another cluster: this node's own layouts are dropped") !=
        std::string::npos);
}
