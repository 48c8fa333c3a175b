#include "test/integration/test_cluster.hpp"

#include "core/base64.hpp"
#include "core/slot_hash.hpp"

#include <algorithm>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace ovo::test {

using json = nlohmann::json;
using namespace std::chrono_literals;

test_cluster::test_cluster(int size, std::string settings_json, customizer customize,
                           std::vector<node_place> places)
    : places_(std::move(places)),
      settings_json_(std::move(settings_json)),
      customize_(std::move(customize)) {
  places_.resize(static_cast<std::size_t>(size));
  for (int i = 0; i < size; ++i) {
    ports.push_back(free_port());
    api_ports.push_back(free_port());
  }
  for (int i = 0; i < size; ++i) start(i);
}

json test_cluster::topology() const {
  json out = {{"Nodes", json::array()}};
  for (std::size_t i = 0; i < ports.size(); ++i)
    out["Nodes"].push_back({{"Node",
                             {{"Name", name(static_cast<int>(i))},
                              {"Host", places_[i].address},
                              {"Port", ports[i]},
                              {"APIHost", places_[i].address},
                              {"APIPort", api_ports[i]}}}});
  return out;
}

void test_cluster::start(int i) {
  const auto index = static_cast<std::size_t>(i);
  node_options options;
  options.name = name(i);
  options.host = options.address = place(i).address;
  options.netns = place(i).netns;
  options.port = ports[index];
  options.api_port = api_ports[index];
  options.topology_json = topology().dump();
  options.settings_json = settings_json_;
  if (customize_) customize_(i, options);
  nodes.push_back(std::make_unique<node_process>(options));
  clients.push_back(std::make_unique<http_client>());
}

bool test_cluster::failed_over(const std::vector<int>& on, int dead, double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (true) {
    bool done = true;
    for (int i : on) {
      auto entry = view(i)[name(dead)];
      done = done && entry.first == "INACTIVE" && entry.second.empty();
    }
    if (done) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
}

std::vector<std::string> test_cluster::rest_urls() const {
  std::vector<std::string> out;
  for (int i = 0; i < size(); ++i) out.push_back("http://" + rest_address(i));
  return out;
}

long test_cluster::log_count(const std::vector<int>& on, const std::string& needle) const {
  const auto lines = log_lines(on, needle);
  return std::count(lines.begin(), lines.end(), '\n');
}

int test_cluster::add_node() {
  ports.push_back(free_port());
  api_ports.push_back(free_port());
  places_.emplace_back();
  start(static_cast<int>(ports.size()) - 1);
  return static_cast<int>(nodes.size()) - 1;
}

std::string test_cluster::rest_address(int i) const {
  return place(i).address + ":" + std::to_string(ports[static_cast<std::size_t>(i)]);
}

std::string test_cluster::api_address(int i) const {
  return place(i).address + ":" + std::to_string(api_ports[static_cast<std::size_t>(i)]);
}

void test_cluster::restart(int i) {
  const auto index = static_cast<std::size_t>(i);
  node_options options;
  options.port = ports[index];
  options.address = place(i).address;
  options.netns = place(i).netns;
  options.config_file = nodes[index]->config_path() + ".temp";
  stopped_.push_back(std::move(nodes[index]));
  nodes[index] = std::make_unique<node_process>(options);
  clients[index] = std::make_unique<http_client>();
}

std::string test_cluster::key_owned_by(int owner, const std::string& prefix) {
  const auto slots = view(0)[name(owner)].second;
  // Some key of the first 100,000 lands in any slot (a loop bounded like every other here).
  for (int i = 0; i < 100'000 && !slots.empty(); ++i) {
    auto key = prefix + std::to_string(i);
    for (const auto& slot : slots)
      if (slot == ovo::slot_of(key)) return key;
  }
  throw std::runtime_error(name(owner) + " owns no slot in node0's view");
}

std::vector<std::string> keys_in_slot(int slot, std::size_t count, const std::string& prefix) {
  std::vector<std::string> keys;
  for (int i = 0; keys.size() < count; ++i) {
    auto key = prefix + std::to_string(i);
    if (ovo::slot_of(key) == slot) keys.push_back(key);
  }
  return keys;
}

http_response test_cluster::call(int node, const std::string& method, const std::string& path,
                                 const std::string& body) {
  auto i = static_cast<std::size_t>(node);
  return clients[i]->request(method, nodes[i]->url(path), body);
}

http_response test_cluster::put(int node, const std::string& key, const std::string& value,
                                int ttl) {
  return call(node, "PUT", "/ovo/keystorage",
              json{{"Key", key}, {"Data", to_base64(value)}, {"TTL", ttl}}.dump());
}

std::string test_cluster::value_of(int node, const std::string& key) {
  auto response = call(node, "GET", "/ovo/keystorage/" + key);
  if (response.status != 200) return "<" + std::to_string(response.status) + ">";
  return ovo::decode_base64(response.envelope()["Data"]["Data"].get<std::string>())
      .value_or("<bad base64>");
}

std::optional<uint64_t> gauge_in(const http_response& metrics, const std::string& name) {
  const auto line = "\n" + name + " ";
  const auto at = metrics.body.find(line);
  if (metrics.status != 200 || at == std::string::npos) return std::nullopt;
  return std::stoull(metrics.body.substr(at + line.size()));
}

uint64_t test_cluster::layout_epoch(int i) {
  return gauge_in(call(i, "GET", "/metrics"), "ovo_layout_epoch").value_or(0);
}

bool test_cluster::layouts_agreed(const std::vector<int>& on) {
  std::optional<uint64_t> epoch;
  for (int i : on) {
    const auto metrics = call(i, "GET", "/metrics");
    const auto mine = gauge_in(metrics, "ovo_layout_epoch");
    if (!mine || gauge_in(metrics, "ovo_layout_agreement_pending") != uint64_t{0}) return false;
    if (epoch && *epoch != *mine) return false;
    epoch = mine;
  }
  return true;
}

std::map<std::string, std::pair<std::string, json>> test_cluster::view(int i) {
  std::map<std::string, std::pair<std::string, json>> out;
  auto data = call(i, "GET", "/ovo/cluster").envelope();
  if (!data.is_object()) return out;
  for (const auto& node : data["Data"]["Nodes"])
    out[node["Name"]] = {node["State"], node["HashRange"]};
  return out;
}

bool test_cluster::converged(const std::vector<int>& on, std::size_t expected_nodes) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    auto first = view(on.front());
    bool same = first.size() == expected_nodes;
    for (int i : on) same = same && view(i) == first;
    for (const auto& [name, entry] : first) same = same && entry.first == "ACTIVE";
    // Agreed too: every node serves by the layout its view wants, under the same epoch.
    if (same) same = layouts_agreed(on);
    if (same) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

bool test_cluster::ready(const std::vector<int>& on, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  for (int i : on)
    while (call(i, "GET", "/readyz").status != 200)
      if (std::chrono::steady_clock::now() >= deadline)
        return false;
      else
        std::this_thread::sleep_for(50ms);
  return true;
}

std::map<std::string, std::set<std::string>> test_cluster::placement(const std::vector<int>& on) {
  std::map<std::string, std::set<std::string>> out;
  for (int i : on) {
    const auto envelope = call(i, "GET", "/ovo/keys").envelope();
    for (const auto& key : envelope["Data"]["Keys"]) out[key.get<std::string>()].insert(name(i));
  }
  return out;
}

std::vector<std::string> test_cluster::wait_for_exact_placement(
    const std::vector<int>& on, const std::vector<std::string>& keys, int seconds) {
  std::vector<std::string> misplaced;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  do {
    misplaced.clear();
    auto where = placement(on);
    auto layout = view(on.front());
    std::map<int, std::string> owner;
    for (const auto& [node, entry] : layout)
      for (const auto& slot : entry.second) owner[slot.get<int>()] = node;
    for (const auto& key : keys) {
      const auto& holders = where[key];
      const auto& slot_owner = owner[ovo::slot_of(key)];
      if (holders.size() == 2 && holders.count(slot_owner)) continue;
      std::string found;
      for (const auto& holder : holders) found += " " + holder;
      misplaced.push_back(key + " (slot " + std::to_string(ovo::slot_of(key)) + ", owner " +
                          slot_owner + ", stored on" + found + ")");
    }
    if (misplaced.empty()) break;
    std::this_thread::sleep_for(200ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return misplaced;
}

std::string test_cluster::log_lines(const std::vector<int>& on, const std::string& needle) const {
  std::ostringstream out;
  for (int i : on) {
    std::istringstream lines(nodes[static_cast<std::size_t>(i)]->log());
    for (std::string line; std::getline(lines, line);)
      if (line.find(needle) != std::string::npos) out << line << "\n";
  }
  return out.str();
}

}  // namespace ovo::test
