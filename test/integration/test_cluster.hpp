#pragma once
// Several real nodes on loopback that name each other, with the questions cluster tests ask.

#include "test/integration/http_client.hpp"
#include "test/integration/node_process.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace ovo::test {

class test_cluster {
 public:
  /// Adjusts the options of node `i` before it starts.
  using customizer = std::function<void(int i, node_options&)>;

  /// Where node i runs: its address, and the network namespace it runs in ("" = this one).
  struct node_place {
    std::string address = "127.0.0.1";
    std::string netns;
  };

  /// Starts `size` nodes named node0.. that list each other; `settings_json` for every node;
  /// `places` for the first nodes (the others on loopback).
  explicit test_cluster(int size, std::string settings_json = "{}", customizer customize = {},
                        std::vector<node_place> places = {});

  static std::string name(int i) { return "node" + std::to_string(i); }
  int size() const { return static_cast<int>(nodes.size()); }

  /// Starts one more node that knows every node so far (a live join); gives its index.
  int add_node();

  /// "127.0.0.1:port" of node `i`'s REST API and of its node-to-node API (ovoctl talks there).
  std::string rest_address(int i) const;
  std::string api_address(int i) const;

  /// Restarts node `i` (already stopped) from its `<conf>.temp` file, as an operator would.
  void restart(int i);

  http_response call(int node, const std::string& method, const std::string& path,
                     const std::string& body = "");
  http_response put(int node, const std::string& key, const std::string& value, int ttl = 0);
  /// The stored value of `key` read through `node`, or "<status>" when the read failed.
  std::string value_of(int node, const std::string& key);
  /// The layout epoch node `i` installed (GET /metrics ovo_layout_epoch), 0 when it did not
  /// answer.
  uint64_t layout_epoch(int i);
  /// Every node of `on` serves by the layout its own view wants, agreed, under one epoch.
  bool layouts_agreed(const std::vector<int>& on);

  /// The first key named `prefix`0, `prefix`1, ... whose slot node `owner` owns in node 0's view
  /// (throws when it owns none).
  std::string key_owned_by(int owner, const std::string& prefix);

  /// The view node `i` publishes: name -> (state, hash range).
  std::map<std::string, std::pair<std::string, nlohmann::json>> view(int i);

  /// Waits (at most 10 s) until the listed nodes publish one view of `expected_nodes` nodes,
  /// all ACTIVE, and serve by the layout their views want, agreed (layouts_agreed).
  bool converged(const std::vector<int>& on, std::size_t expected_nodes);

  /// Waits (at most `seconds`) until the listed nodes answer GET /readyz with 200: settled
  /// view, no slot still arriving (a fresh cluster's slots arrive for about 2 s), not leaving.
  bool ready(const std::vector<int>& on, int seconds = 10);

  /// Waits (at most `seconds`) until the listed nodes show node `dead` INACTIVE with no slots:
  /// its slots have failed over (NodeTimeoutMs after its link dropped, docs/cluster.md).
  bool failed_over(const std::vector<int>& on, int dead, double seconds = 10);

  /// Which of the listed nodes store each key (GET /ovo/keys), by key.
  std::map<std::string, std::set<std::string>> placement(const std::vector<int>& on);

  /// Waits (at most `seconds`) until every key of `keys` is stored on exactly two of the listed
  /// nodes, one of them the owner of its slot. Describes the keys still misplaced at the end.
  std::vector<std::string> wait_for_exact_placement(const std::vector<int>& on,
                                                    const std::vector<std::string>& keys,
                                                    int seconds = 20);

  /// "http://address:port" of every node's REST API, by index.
  std::vector<std::string> rest_urls() const;

  /// The log lines of the listed nodes that contain `needle`, node by node.
  std::string log_lines(const std::vector<int>& on, const std::string& needle) const;
  /// How many such lines there are.
  long log_count(const std::vector<int>& on, const std::string& needle) const;

  std::vector<uint16_t> ports, api_ports;
  std::vector<std::unique_ptr<node_process>> nodes;
  std::vector<std::unique_ptr<http_client>> clients;

 private:
  void start(int i);
  const node_place& place(int i) const { return places_[static_cast<std::size_t>(i)]; }
  std::vector<node_place> places_;
  nlohmann::json topology() const;
  std::string settings_json_;
  customizer customize_;
  std::vector<std::unique_ptr<node_process>> stopped_;  ///< keep their directories (the .temp)
};

/// Waits (at most `seconds`) until `condition` holds, polling every 100 ms; gives its last value.
template <class Condition>
bool within(double seconds, Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return condition();
}

/// The value of gauge `name` in a /metrics answer, or nothing.
std::optional<uint64_t> gauge_in(const http_response& metrics, const std::string& name);

/// The first `count` keys named `prefix`0, `prefix`1, ... whose slot is `slot`.
std::vector<std::string> keys_in_slot(int slot, std::size_t count, const std::string& prefix);

}  // namespace ovo::test
