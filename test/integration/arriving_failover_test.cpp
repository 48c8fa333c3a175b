// A failover promotes a replica holder whose copy has arrived (docs/cluster.md, "Arriving holders
// are agreed"): a holder still receiving its copy may miss what was written before it held the
// slot, so the agreed layout lists it arriving and the failover passes it over for one that is
// not listed. Here the holder is a node restarted with kill -9, empty, whose copy of the frozen
// owner's slots cannot arrive: it must not be promoted, and nothing acknowledged is lost.

#include "test/integration/test_cluster.hpp"
#include "test/integration/write_checker.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <regex>
#include <set>
#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;

namespace {

/// The slots `node` owns in node `on`'s view.
std::set<int> slots_of(test_cluster& c, int on, int node) {
  const auto view = c.view(on);
  std::set<int> out;
  if (const auto it = view.find(test_cluster::name(node)); it != view.end())
    for (const auto& slot : it->second.second) out.insert(slot.get<int>());
  return out;
}

/// The most slots node `i` held still arriving in one layout it installed ("layout epoch N
/// agreed: ..., K held here still arriving").
int most_listed_arriving(test_cluster& c, int i) {
  const auto lines = c.log_lines({i}, "held here still arriving");
  const std::regex listed(R"((\d+) held here still arriving)");
  int most = 0;
  for (std::sregex_iterator it(lines.begin(), lines.end(), listed), end; it != end; ++it)
    most = std::max(most, std::stoi((*it)[1].str()));
  return most;
}

}  // namespace

TEST_CASE(
    "a failover passes over a replica holder whose copy is still arriving (restarted empty, the "
    "frozen owner never sent it) for the twin that has it, and nothing acknowledged is lost") {
  // Every node holds every slot: node0's slots are held by its twins node1, then node2.
  test_cluster c(3, R"({"NodeTimeoutMs":2000})", [](int i, node_options& options) {
    options.twins_json = R"([")" + test_cluster::name((i + 1) % 3) + R"(",")" +
                         test_cluster::name((i + 2) % 3) + R"("])";
  });
  REQUIRE(c.converged({0, 1, 2}, 3));
  REQUIRE(c.ready({0, 1, 2}));
  const auto node0_slots = slots_of(c, 1, 0);
  REQUIRE(!node0_slots.empty());
  write_checker checker;
  {
    checked_workload load(checker, c.rest_urls(), 6, 20, 2);
    std::this_thread::sleep_for(3s);
  }
  // Nothing is written while node1 is down, so it misses no write: nothing lists it lagging,
  // and no catch-up push brings it node0's slots. Empty after the restart, it gets them from
  // node0's pass 300 ms after node0 saw it back, or pulls them from node0 2 s after its last
  // chunk; node0 is frozen before either, as soon as node1 linked to it.
  REQUIRE(c.ready({0, 1, 2}));
  c.nodes[1]->stop(SIGKILL, 2s);
  REQUIRE(!c.nodes[1]->running());
  c.restart(1);
  bool linked = false;
  for (int poll = 0; poll < 1000 && !linked; ++poll) {  // at most 10 s
    linked = c.log_count({1}, "connected to node0") > 0;
    if (!linked) std::this_thread::sleep_for(10ms);
  }
  REQUIRE(linked);
  c.nodes[0]->signal(SIGSTOP);
  // node1 and node2 are a majority: they agree a layout that lists node1 arriving.
  REQUIRE(within(5, [&] { return most_listed_arriving(c, 1) > 0; }));
  MESSAGE("node1 listed " << most_listed_arriving(c, 1) << " slots arriving; node0 frozen");
  {
    checked_workload load(checker, {c.rest_urls()[1], c.rest_urls()[2]}, 6, 20, 2);
    REQUIRE(c.failed_over({1, 2}, 0, 10));
    // node1 had node0's copy of none of them: node2 serves every one.
    for (int on : {1, 2}) {
      CAPTURE(on);
      const auto node1_slots = slots_of(c, on, 1), node2_slots = slots_of(c, on, 2);
      for (int slot : node0_slots) {
        CAPTURE(slot);
        CHECK(node1_slots.count(slot) == 0);
        CHECK(node2_slots.count(slot) == 1);
      }
    }
    std::this_thread::sleep_for(3s);
  }
  c.nodes[0]->stop(SIGKILL, 2s);
  judge_record(checker, {c.rest_urls()[1], c.rest_urls()[2]});
}
