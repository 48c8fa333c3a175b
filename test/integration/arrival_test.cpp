// Arrival ends on arrival (docs/cluster.md, "The life of a slot"): a slot newly held by a node
// stays "arriving" (reads of keys not here yet go to its previous holder) until its data came
// in, however long that takes; a slot nobody sends is pulled, from its previous holder or, when
// that one is gone, from every node.

#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;
using json = nlohmann::json;
using steady = std::chrono::steady_clock;

namespace {

/// Slots still arriving on node `i` (ovoctl status), or -1 when it did not answer.
int arriving_on(test_cluster& c, int i) {
  auto status = run_ovoctl({"--node", c.api_address(i), "--json", "status"});
  if (status.exit_code != 0) return -1;
  return json::parse(status.output)["Arriving"].get<int>();
}

/// Waits (at most `seconds`) until no slot is arriving on any of the listed nodes.
bool all_arrived(test_cluster& c, const std::vector<int>& on, double seconds) {
  const auto deadline = steady::now() + std::chrono::duration<double>(seconds);
  while (steady::now() < deadline) {
    bool done = true;
    for (int i : on) done = done && arriving_on(c, i) == 0;
    if (done) return true;
    std::this_thread::sleep_for(200ms);
  }
  return false;
}

}  // namespace

TEST_CASE("every slot of a new cluster finishes arriving though no node has data to send") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  // Nothing to push: each node pulls its slots from their previous holders, which answer with
  // empty copies; nothing closes a window because time passed.
  CHECK(all_arrived(c, {0, 1, 2}, 10));
  CHECK(c.log_lines({0, 1, 2}, "arrived (pulled)").find("slot") != std::string::npos);
}

TEST_CASE(
    "a node joining while its slots' previous owner is frozen gets their data from the other "
    "copies: no key reads 404 through it meanwhile, and every slot arrives") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  std::vector<std::string> keys;
  for (int i = 0; i < 300; ++i) {
    keys.push_back("handoff-" + std::to_string(i));
    REQUIRE(c.put(i % 3, keys.back(), "v-" + keys.back()).status == 200);
  }
  REQUIRE(all_arrived(c, {0, 1, 2}, 10));
  c.nodes[0]->signal(SIGSTOP);
  const int late = c.add_node();
  // Reads through the newcomer while node0 is frozen (its link drops after ~2 s) and after it
  // thaws: a key may answer 503 while its copy cannot be read, never 404.
  std::map<std::string, int> answers;
  auto read_all = [&] {
    std::vector<std::string> wrong;
    for (const auto& key : keys) {
      const auto value = c.value_of(late, key);
      ++answers[value == "v-" + key ? "200" : value];
      if (value != "v-" + key) wrong.push_back(key);
    }
    return wrong;
  };
  const auto frozen_at = steady::now();
  for (int round = 0; round < 40 && steady::now() - frozen_at < 6s; ++round) read_all();
  c.nodes[0]->signal(SIGCONT);
  CHECK(all_arrived(c, {0, 1, 2, late}, 20));
  // node0 is back and owns slots again: once the newcomer's link to it is up, every key reads
  // its value through the newcomer.
  std::vector<std::string> wrong = read_all();
  for (int attempt = 0; attempt < 50 && !wrong.empty(); ++attempt) {  // at most ~10 s
    std::this_thread::sleep_for(200ms);
    wrong = read_all();
  }
  CHECK_MESSAGE(wrong.empty(), wrong.size() << " keys do not read their value, e.g. "
                                            << (wrong.empty() ? "" : wrong.front()));
  for (const auto& [answer, count] : answers) MESSAGE(answer << ": " << count);
  CHECK(answers.count("<404>") == 0);
}
