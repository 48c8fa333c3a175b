#include "ovo/client.hpp"

#include "client/src/connection.hpp"
#include "core/base64.hpp"
#include "core/slot_hash.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ovo::client {
namespace {

using json = nlohmann::json;

std::string base64(const std::string& bytes) {
  std::string out;
  append_base64(out, bytes);
  return out;
}

json envelope_of(const http_answer& answer) {
  auto parsed = json::parse(answer.body, nullptr, false);
  return parsed.is_object() ? parsed : json::object();
}

error error_of(const http_answer& answer) {
  const auto envelope = envelope_of(answer);
  const auto code = envelope.value("Code", std::string{});
  return error(answer.status, code,
               "HTTP " + std::to_string(answer.status) + " code " + code + ": " +
                   (answer.error_reason.empty() ? answer.body : answer.error_reason));
}

/// The envelope's Data of a 200 answer; throws the envelope's error otherwise.
json data_of(const http_answer& answer) {
  if (answer.status != 200) throw error_of(answer);
  auto envelope = envelope_of(answer);
  return envelope.contains("Data") ? envelope["Data"] : json();
}

std::string bytes_of(const json& data) {
  auto decoded = decode_base64(data.at("Data").get<std::string>());
  if (!decoded) throw error(200, "", "the node sent invalid base64");
  return *decoded;
}

node node_of(const json& item) {
  node n;
  n.name = item.value("Name", "");
  n.host = item.value("Host", "");
  n.port = item.value("Port", uint16_t{0});
  n.active = item.value("State", "") == "ACTIVE";
  n.slots = item.value("HashRange", std::vector<int>{});
  n.twins = item.value("Twins", std::vector<std::string>{});
  return n;
}

/// The node's most keys or items a bulk request (docs/protocol.md, "Bulk").
constexpr std::size_t bulk_limit = 1000;

/// The per-key results of a bulk answer's Data.
std::vector<cluster_client::key_result> key_results(const json& data) {
  std::vector<cluster_client::key_result> out;
  for (const auto& entry : data) {
    cluster_client::key_result result;
    result.key = entry.at("Key").get<std::string>();
    result.code = entry.at("Code").get<std::string>();
    if (entry.at("Data").is_string()) result.value = bytes_of(entry);
    out.push_back(std::move(result));
  }
  return out;
}

}  // namespace

slot_map::slot_map(std::vector<node> nodes) : nodes_(std::move(nodes)) {
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    for (int slot : nodes_[i].slots) owner_[slot] = i;
}

const node* slot_map::owner_of(const std::string& key) const {
  auto it = owner_.find(slot_of(key));
  return it == owner_.end() ? nullptr : &nodes_[it->second];
}

std::vector<std::string> slot_map::candidates(const std::string& key) const {
  std::vector<std::string> out;
  auto add = [&out](const node& n) {
    if (std::find(out.begin(), out.end(), n.address()) == out.end()) out.push_back(n.address());
  };
  const auto* owner = owner_of(key);
  if (owner) {
    add(*owner);
    for (const auto& twin : owner->twins)
      for (const auto& n : nodes_)
        if (n.name == twin && n.active) add(n);
  }
  for (const auto& n : nodes_)
    if (n.active) add(n);
  return out;
}

struct cluster_client::impl {
  options opts;
  std::vector<std::string> seeds;
  slot_map map{{}};
  std::map<std::string, std::unique_ptr<connection>> connections;

  connection& connection_to(const std::string& address) {
    auto& conn = connections[address];
    if (!conn) conn = std::make_unique<connection>(address, opts);
    return *conn;
  }

  void refresh() {
    std::vector<std::string> addresses = seeds;
    for (const auto& n : map.nodes()) addresses.push_back(n.address());
    for (const auto& address : addresses) {
      auto answer = connection_to(address).request("GET", "/ovo/cluster");
      // A refused token is the same on every node: say so rather than "no node answered".
      if (answer.status == 401 || answer.status == 403) throw error_of(answer);
      if (answer.status != 200) continue;
      std::vector<node> nodes;
      for (const auto& item : data_of(answer).value("Nodes", json::array()))
        nodes.push_back(node_of(item));
      if (nodes.empty()) continue;
      map = slot_map(std::move(nodes));
      return;
    }
    throw error(0, "", "no node answered a topology request");
  }

  /// Sends a request about `key` to its owner, else its twins, else any node (which forwards
  /// it). A failed owner means the topology changed: it is fetched again, so the next request
  /// goes straight to the new owner. When no node answers, one more round after a refresh.
  http_answer send(const std::string& key, const char* method, const std::string& path,
                   const std::string& body = "") {
    for (int round = 0; round < 2; ++round) {
      bool owner_failed = false;
      for (const auto& address : map.candidates(key)) {
        auto answer = connection_to(address).request(method, path, body);
        // No answer, or the node could not reach the owner in time: try the next one.
        if (answer.status != 0 && answer.status != 503) {
          if (owner_failed) refresh_quietly();
          return answer;
        }
        owner_failed = true;
      }
      refresh();
    }
    throw error(0, "14", "no node could serve the request for key " + key);
  }

  /// POSTs `entries` to `path` as {"<list>":[...]}, at most bulk_limit a request, each request
  /// to the candidates of its first key (that node forwards the others to their owners); gives
  /// the answers' entries in order.
  json bulk(const char* path, const char* list, const json& entries) {
    json out = json::array();
    for (std::size_t start = 0; start < entries.size(); start += bulk_limit) {
      const auto end = std::min(entries.size(), start + bulk_limit);
      json chunk(entries.begin() + static_cast<std::ptrdiff_t>(start),
                 entries.begin() + static_cast<std::ptrdiff_t>(end));
      const auto& first = chunk.front();
      const auto key = (first.is_string() ? first : first.at("Key")).get<std::string>();
      for (auto& entry : data_of(send(key, "POST", path, json{{list, std::move(chunk)}}.dump())))
        out.push_back(std::move(entry));
    }
    return out;
  }

  void refresh_quietly() {
    try {
      refresh();
    } catch (const error&) {
      // The answer is what matters; the next failure refreshes again.
    }
  }
};

namespace {

std::string key_path(const char* prefix, const std::string& key, const char* suffix = "") {
  return prefix + escape(key) + suffix;
}

}  // namespace

cluster_client::cluster_client(std::vector<std::string> seeds, options opts)
    : impl_(std::make_unique<impl>()) {
  if (seeds.empty()) throw std::invalid_argument("cluster_client needs at least one seed");
  impl_->opts = opts;
  impl_->seeds = std::move(seeds);
  impl_->refresh();
}

cluster_client::~cluster_client() = default;

const std::vector<node>& cluster_client::topology() const { return impl_->map.nodes(); }
void cluster_client::refresh() { impl_->refresh(); }

void cluster_client::put(const std::string& key, const std::string& value, int64_t ttl_seconds,
                         const std::string& collection) {
  json body = {{"Key", key}, {"Data", base64(value)}, {"TTL", ttl_seconds}};
  if (!collection.empty()) body["Collection"] = collection;
  data_of(impl_->send(key, "PUT", "/ovo/keystorage", body.dump()));
}

std::optional<std::string> cluster_client::get(const std::string& key) {
  auto answer = impl_->send(key, "GET", key_path("/ovo/keystorage/", key));
  if (answer.status == 404) return std::nullopt;
  return bytes_of(data_of(answer));
}

void cluster_client::remove(const std::string& key) {
  data_of(impl_->send(key, "DELETE", key_path("/ovo/keystorage/", key)));
}

std::optional<std::string> cluster_client::get_and_remove(const std::string& key) {
  auto answer = impl_->send(key, "GET", key_path("/ovo/keystorage/", key, "/getandremove"));
  if (answer.status == 404) return std::nullopt;
  return bytes_of(data_of(answer));
}

namespace {

/// A conditional operation: true on 200, false on 403, the error otherwise.
bool condition_met(const http_answer& answer) {
  if (answer.status == 403) return false;
  data_of(answer);
  return true;
}

}  // namespace

bool cluster_client::update_value_if_equal(const std::string& key, const std::string& expected,
                                           const std::string& value) {
  json body = {{"Key", key}, {"Data", base64(expected)}, {"NewData", base64(value)}};
  return condition_met(impl_->send(
      key, "PUT", key_path("/ovo/keystorage/", key, "/updatevalueifequal"), body.dump()));
}

bool cluster_client::update_key(const std::string& key, const std::string& new_key) {
  json body = {{"Key", key}, {"NewKey", new_key}};
  return condition_met(
      impl_->send(key, "PUT", key_path("/ovo/keystorage/", key, "/updatekey"), body.dump()));
}

bool cluster_client::update_key_value_if_equal(const std::string& key, const std::string& new_key,
                                               const std::string& expected,
                                               const std::string& value) {
  json body = {
      {"Key", key}, {"NewKey", new_key}, {"Data", base64(expected)}, {"NewData", base64(value)}};
  return condition_met(impl_->send(
      key, "PUT", key_path("/ovo/keystorage/", key, "/updatekeyvalueifequal"), body.dump()));
}

bool cluster_client::delete_value_if_equal(const std::string& key, const std::string& expected) {
  json body = {{"Key", key}, {"Data", base64(expected)}};
  return condition_met(impl_->send(
      key, "POST", key_path("/ovo/keystorage/", key, "/deletevalueifequal"), body.dump()));
}

int64_t cluster_client::counter_set(const std::string& key, int64_t value, int64_t ttl_seconds) {
  json body = {{"Key", key}, {"Value", value}, {"TTL", ttl_seconds}};
  return data_of(impl_->send(key, "POST", "/ovo/counters", body.dump()))["Value"].get<int64_t>();
}

int64_t cluster_client::counter_add(const std::string& key, int64_t delta, int64_t ttl_seconds) {
  json body = {{"Key", key}, {"Value", delta}, {"TTL", ttl_seconds}};
  return data_of(impl_->send(key, "PUT", "/ovo/counters", body.dump()))["Value"].get<int64_t>();
}

std::optional<int64_t> cluster_client::counter_get(const std::string& key) {
  auto answer = impl_->send(key, "GET", key_path("/ovo/counters/", key));
  if (answer.status == 404) return std::nullopt;
  return data_of(answer)["Value"].get<int64_t>();
}

void cluster_client::counter_remove(const std::string& key) {
  data_of(impl_->send(key, "DELETE", key_path("/ovo/counters/", key)));
}

int64_t cluster_client::count_keys(const std::string& address) {
  return data_of(impl_->connection_to(address).request("GET", "/ovo/keystorage")).get<int64_t>();
}

cluster_client::scan_page cluster_client::scan(const std::string& cursor, std::size_t count,
                                               const std::string& match) {
  auto path = "/ovo/scan?cursor=" + escape(cursor) + "&count=" + std::to_string(count);
  if (!match.empty()) path += "&match=" + escape(match);
  // Any node answers any cursor (it forwards to the slot's owner); the cursor only spreads the
  // pages over the nodes, and the next candidates are tried when one does not answer.
  const auto data = data_of(impl_->send(cursor, "GET", path));
  return {data.at("Cursor").get<std::string>(), data.at("Keys").get<std::vector<std::string>>()};
}

std::vector<cluster_client::key_result> cluster_client::get_many(
    const std::vector<std::string>& keys) {
  return key_results(impl_->bulk("/ovo/mget", "Keys", keys));
}

std::vector<cluster_client::key_result> cluster_client::put_many(const std::vector<item>& items) {
  json entries = json::array();
  for (const auto& i : items) {
    json entry = {{"Key", i.key}, {"Data", base64(i.value)}, {"TTL", i.ttl_seconds}};
    if (!i.collection.empty()) entry["Collection"] = i.collection;
    entries.push_back(std::move(entry));
  }
  return key_results(impl_->bulk("/ovo/mset", "Items", entries));
}

std::vector<std::string> cluster_client::list_keys(const std::string& address) {
  return data_of(impl_->connection_to(address).request("GET", "/ovo/keys"))
      .value("Keys", std::vector<std::string>{});
}

}  // namespace ovo::client
