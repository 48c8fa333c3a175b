// Layout epochs (docs/cluster.md, "Layout epochs"): the nodes agree every layout through the
// layout register, over their CAF links, and show the epoch they installed (GET /metrics
// ovo_layout_epoch, ovoctl status). Real node processes on loopback.

#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

using namespace ovo::test;
using namespace std::chrono_literals;

TEST_CASE(
    "a 3-node cluster agrees one layout epoch, the two left after a kill -9 agree a newer one, "
    "and the killed node restarted from its saved vote learns it") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  REQUIRE(c.ready({0, 1, 2}));
  uint64_t agreed = 0;
  REQUIRE(within(10, [&] {
    agreed = c.layout_epoch(0);
    return agreed > 0 && c.layout_epoch(1) == agreed && c.layout_epoch(2) == agreed;
  }));
  CHECK(c.log_count({0, 1, 2}, "layout epoch " + std::to_string(agreed) + " agreed") == 3);
  for (int i = 0; i < 3; ++i)
    CHECK(std::filesystem::exists(c.nodes[static_cast<std::size_t>(i)]->config_path() + ".layout"));

  c.nodes[2]->stop(SIGKILL, 2s);
  REQUIRE(c.failed_over({0, 1}, 2));
  uint64_t after_kill = 0;
  CHECK(within(10, [&] {
    after_kill = c.layout_epoch(0);
    return after_kill > agreed && c.layout_epoch(1) == after_kill;
  }));
  MESSAGE("epoch " << agreed << " before the kill, " << after_kill << " after it");

  const auto original_config = c.nodes[2]->config_path();
  c.restart(2);  // from its .temp: the vote is found under the original configuration's name
  CHECK(c.log_count({2}, "layout vote of the last run read from " + original_config + ".layout") ==
        1);
  CHECK(within(15, [&] {
    const auto now = c.layout_epoch(0);
    return now >= after_kill && c.layout_epoch(1) == now && c.layout_epoch(2) == now;
  }));
}

TEST_CASE("a node whose saved layout vote cannot be read does not start and says why") {
  test_cluster c(1);
  const auto config = c.nodes[0]->config_path();
  REQUIRE(within(10, [&] { return std::filesystem::exists(config + ".layout"); }));
  CHECK(c.nodes[0]->stop(SIGTERM, 10s) == 0);
  write_file(config + ".layout", "{not json");
  const auto result = run_ovo({"-conf=" + config});
  CHECK(result.exit_code == 2);
  CHECK(result.output.find("not a saved layout vote") != std::string::npos);
}

TEST_CASE(
    "a node whose saved layout vote was lost comes back under a new member identity, is named "
    "by a newer layout and then votes: with another node killed, it and the third agree an epoch") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  REQUIRE(within(10, [&] {
    const auto agreed = c.layout_epoch(0);
    return agreed > 0 && c.layout_epoch(1) == agreed && c.layout_epoch(2) == agreed;
  }));
  c.nodes[2]->stop(SIGKILL, 2s);
  REQUIRE(c.failed_over({0, 1}, 2));
  const auto before_return = c.layout_epoch(0);
  std::filesystem::remove(c.nodes[2]->config_path() + ".layout");  // a new disk
  c.restart(2);
  CHECK(c.log_count({2}, "no saved layout vote: this node votes as member identity") == 1);
  uint64_t named = 0;
  REQUIRE(within(15, [&] {
    named = c.layout_epoch(0);
    return named > before_return && c.layout_epoch(1) == named && c.layout_epoch(2) == named;
  }));
  REQUIRE(c.converged({0, 1, 2}, 3));

  // Node 1 alone is no majority of three: a newer epoch needs node 2's vote.
  c.nodes[0]->stop(SIGKILL, 2s);
  REQUIRE(c.failed_over({1, 2}, 0));
  CHECK(within(10, [&] {
    const auto now = c.layout_epoch(1);
    return now > named && c.layout_epoch(2) == now;
  }));
  MESSAGE("epoch " << before_return << " before the return, " << named
                   << " naming the new identity, " << c.layout_epoch(1)
                   << " after the second kill");
}

namespace {

/// How many of its slots node `i` said were still arriving when it installed each layout
/// ("layout epoch N agreed: ..., K held here still arriving"), oldest first.
std::vector<int> arriving_at_each_layout(test_cluster& c, int i) {
  std::vector<int> counts;
  std::istringstream lines(c.log_lines({i}, " held here still arriving"));
  for (std::string line; std::getline(lines, line);) {
    const auto end = line.rfind(" held here still arriving");
    const auto start = line.rfind(", ", end);
    if (end != std::string::npos && start != std::string::npos)
      counts.push_back(std::stoi(line.substr(start + 2, end - start - 2)));
  }
  return counts;
}

}  // namespace

TEST_CASE(
    "a node that joins is listed arriving on the slots it is given until their data arrived, "
    "then takes itself off: the layouts every node installs last list nothing arriving") {
  test_cluster c(2);
  REQUIRE(c.converged({0, 1}, 2));
  std::vector<std::string> keys;
  for (int k = 0; k < 200; ++k) {
    keys.push_back("before-join-" + std::to_string(k));
    REQUIRE(c.put(k % 2, keys.back(), "v").status == 200);
  }
  const int joined = c.add_node();
  REQUIRE(c.converged({0, 1, joined}, 3));
  REQUIRE(c.ready({0, 1, joined}, 20));
  // The layout that gave node2 its slots listed it arriving on them ...
  const auto at_join = arriving_at_each_layout(c, joined);
  REQUIRE_FALSE(at_join.empty());
  CHECK(*std::max_element(at_join.begin(), at_join.end()) > 0);
  // ... and once their data arrived, a later layout no longer did, on any node.
  CHECK(within(10, [&] {
    for (int i : {0, 1, joined}) {
      const auto counts = arriving_at_each_layout(c, i);
      if (counts.empty() || counts.back() != 0) return false;
    }
    return c.layouts_agreed({0, 1, joined});
  }));
  MESSAGE("node2's arriving slots at each layout it installed: " << [&] {
    std::string text;
    for (auto n : arriving_at_each_layout(c, joined)) text += std::to_string(n) + " ";
    return text;
  }());
  // The data did arrive: every key is stored on its owner and one holder, node2 included.
  CHECK(c.wait_for_exact_placement({0, 1, joined}, keys, 10).empty());
  std::size_t on_joined = 0;
  for (const auto& [key, nodes] : c.placement({joined})) on_joined += nodes.size();
  CHECK(on_joined > 0);
  for (const auto& key : keys) CHECK(c.value_of(joined, key) == "v");
}
