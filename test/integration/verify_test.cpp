// Anti-entropy (docs/cluster.md, "Anti-entropy"): owners compare their slots with the replica
// holders' copies by digest, then key by key, and give each differing key's newer state to the
// older copy, on `ovoctl verify --repair` and every VerifyIntervalSeconds.

#include "core/version_clock.hpp"
#include "test/integration/caf_client.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

/// The "node" lines of `ovoctl --json verify` (stdout and stderr), by node name.
std::map<std::string, json> verify_rows(const std::string& output) {
  std::map<std::string, json> rows;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() != '{') continue;  // ovoctl's error message
    auto row = json::parse(line);
    if (row["Event"] == "node") rows[row["Node"].get<std::string>()] = row;
  }
  return rows;
}

/// Ten keys of one slot node0 owns, written through node0, and the node holding their replica.
struct diverging_slot {
  std::vector<std::string> keys;
  int holder = -1;

  explicit diverging_slot(test_cluster& c) {
    const int slot = c.view(0)[test_cluster::name(0)].second.front().get<int>();
    keys = keys_in_slot(slot, 10, "verify-");
    for (const auto& key : keys) REQUIRE(c.put(0, key, "v-" + key).status == 200);
    const auto placement = c.placement({1, 2});
    REQUIRE(placement.count(keys[0]) == 1);
    holder = *placement.at(keys[0]).begin() == test_cluster::name(1) ? 1 : 2;
  }

  /// Makes the holder's copy differ from the owner's in two keys, through the peer protocol (as
  /// replica writes the owner never made): keys[0] gets a newer value, keys[1] a newer delete.
  void diverge(test_cluster& c) {
    caf_client peer;
    auto endpoint = peer.published_at(c.api_ports[static_cast<std::size_t>(holder)]);
    REQUIRE(endpoint);
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    ovo::replica_write newer_value;
    newer_value.record.key = keys[0];
    newer_value.record.value = "only on the holder";
    // The newest epoch a version can carry: newer than any write the owner made.
    const ovo::version_t newest{ovo::version_t::max_epoch, ovo::version_clock::latest_at(now_ms)};
    newer_value.version = newest;
    ovo::replica_write newer_delete;
    newer_delete.record.key = keys[1];
    newer_delete.erase = true;
    newer_delete.version = newest;
    REQUIRE(peer.replicate(endpoint, {newer_value, newer_delete}));
    REQUIRE(c.value_of(holder, keys[0]) == "v-" + keys[0]);  // reads go to the owner
  }
};

}  // namespace

TEST_CASE(
    "ovoctl verify reports keys whose copies differ and exits 1, and verify --repair gives the "
    "older copy the newer state on every node") {
  // ReplicaTimeoutMs: differences younger than it are not counted (still in flight).
  test_cluster c(3, R"({"ReplicaTimeoutMs":300,"VerifyIntervalSeconds":0})");
  REQUIRE(c.converged({0, 1, 2}, 3));
  diverging_slot slot(c);
  auto clean = run_ovoctl({"--node", c.api_address(0), "--json", "verify"});
  REQUIRE(clean.exit_code == 0);
  for (const auto& [name, row] : verify_rows(clean.output)) {
    CHECK(row["KeysDiffering"] == 0);
    CHECK(row["SlotsSkipped"] == 0);
  }
  CHECK(verify_rows(clean.output)["node0"]["SlotsChecked"] > 0);

  slot.diverge(c);
  std::this_thread::sleep_for(500ms);
  auto found = run_ovoctl({"--node", c.api_address(0), "--json", "verify"});
  CHECK(found.exit_code == 1);
  CHECK(found.output.find("2 keys differ between copies; run verify --repair") !=
        std::string::npos);
  CHECK(verify_rows(found.output)["node0"]["KeysDiffering"] == 2);
  CHECK(verify_rows(found.output)["node0"]["KeysRepaired"] == 0);

  auto repaired = run_ovoctl({"--node", c.api_address(0), "--json", "verify", "--repair"});
  CHECK(repaired.exit_code == 0);
  CHECK(verify_rows(repaired.output)["node0"]["KeysDiffering"] == 2);
  CHECK(verify_rows(repaired.output)["node0"]["KeysRepaired"] == 2);
  // The newer states won on the owner and reached every copy.
  for (int node = 0; node < 3; ++node) {
    CHECK(c.value_of(node, slot.keys[0]) == "only on the holder");
    CHECK(c.value_of(node, slot.keys[1]) == "<404>");
    CHECK(c.value_of(node, slot.keys[2]) == "v-" + slot.keys[2]);
  }
  const auto placement = c.placement({0, 1, 2});
  CHECK(placement.at(slot.keys[0]).size() == 2);
  CHECK(placement.count(slot.keys[1]) == 0);
  auto after = run_ovoctl({"--node", c.api_address(0), "--json", "verify"});
  CHECK(after.exit_code == 0);
  for (const auto& [name, row] : verify_rows(after.output)) CHECK(row["KeysDiffering"] == 0);
}

TEST_CASE(
    "every VerifyIntervalSeconds an owner repairs the keys its replica holder's copy differs in") {
  test_cluster c(3, R"({"ReplicaTimeoutMs":300,"VerifyIntervalSeconds":1})");
  REQUIRE(c.converged({0, 1, 2}, 3));
  diverging_slot slot(c);
  slot.diverge(c);
  bool repaired = false;
  for (int i = 0; i < 50 && !repaired; ++i) {  // at most 5 s
    std::this_thread::sleep_for(100ms);
    repaired = c.value_of(0, slot.keys[0]) == "only on the holder";
  }
  CHECK(repaired);
  CHECK(c.value_of(0, slot.keys[1]) == "<404>");
  CHECK(c.log_lines({0}, "keys differed from a replica holder's copy").find("2 repaired") !=
        std::string::npos);
}
