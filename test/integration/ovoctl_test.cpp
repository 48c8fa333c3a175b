// build/ovoctl against a real 3-node cluster: every command, --json output, script mode, exit
// codes, an unreachable node.

#include "core/base64.hpp"
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

/// Joins `late`, a node started alone, to `c`'s cluster with ovoctl join, node0 as the seed.
void join_through_ovoctl(test_cluster& c, const node_process& late) {
  const auto config = json::parse(read_file(late.config_path()));
  const auto address =
      "127.0.0.1:" + std::to_string(config["ServerNode"]["Node"]["APIPort"].get<int>());
  const auto join = run_ovoctl({"--node", address, "join", address, "--seed", c.api_address(0)});
  REQUIRE_MESSAGE(join.exit_code == 0, join.output);
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
  node_options alone;
  alone.name = "late";
  auto late = std::make_unique<node_process>(alone);
  const auto config = json::parse(read_file(late->config_path()));  // holds its free API port
  const auto late_address =
      "127.0.0.1:" + std::to_string(config["ServerNode"]["Node"]["APIPort"].get<int>());
  auto join =
      run_ovoctl({"--node", late_address, "join", late_address, "--seed", c.api_address(0)});
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
  node_options alone;
  alone.name = "late";
  node_process late(alone);
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
  node_options alone;
  alone.name = "late";
  node_process late(alone);
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
