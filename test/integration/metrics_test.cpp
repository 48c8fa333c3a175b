// GET /metrics (docs/protocol.md, "Metrics"): Prometheus text format 0.0.4 read back with a
// small parser of that format, against real nodes.

#include "test/integration/http_client.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <map>
#include <set>
#include <sstream>
#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;

namespace {

/// One exposition: every sample by its series ("name{labels}" as printed), and the families
/// that had HELP and TYPE lines.
struct exposition {
  std::map<std::string, double> samples;
  std::set<std::string> helped, typed;
  std::map<std::string, std::string> type_of;

  double value(const std::string& series) const {
    auto it = samples.find(series);
    return it == samples.end() ? -1 : it->second;
  }
  /// The sum over every series of family `name` (a counter summed over its labels).
  double total(const std::string& name) const {
    double sum = 0;
    for (const auto& [series, v] : samples)
      if (series == name || series.rfind(name + "{", 0) == 0) sum += v;
    return sum;
  }
};

/// The family a sample belongs to: histograms print name_bucket, name_sum and name_count.
std::string family_of(const std::string& name, const exposition& e) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s = suffix;
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      const auto base = name.substr(0, name.size() - s.size());
      if (e.type_of.count(base) && e.type_of.at(base) == "histogram") return base;
    }
  }
  return name;
}

exposition parse(const std::string& text) {
  exposition e;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    std::istringstream words(line);
    std::string first, second, name;
    if (line.rfind("# HELP ", 0) == 0) {
      words >> first >> second >> name;
      e.helped.insert(name);
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      std::string type;
      words >> first >> second >> name >> type;
      e.typed.insert(name);
      e.type_of[name] = type;
      continue;
    }
    REQUIRE_MESSAGE(line.front() != '#', line);
    const auto space = line.rfind(' ');
    REQUIRE_MESSAGE(space != std::string::npos, line);
    const auto series = line.substr(0, space);
    e.samples[series] = std::stod(line.substr(space + 1));
    const auto family = family_of(series.substr(0, series.find('{')), e);
    CHECK_MESSAGE(e.helped.count(family), "no HELP before " << line);
    CHECK_MESSAGE(e.typed.count(family), "no TYPE before " << line);
  }
  return e;
}

exposition scrape(http_client& client, const std::string& url) {
  const auto response = client.get(url);
  REQUIRE_MESSAGE(response.status == 200, response.body);
  CHECK(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  return parse(response.body);
}

const std::string put_ok = R"(ovo_http_requests_total{operation="put",status="200",code="0"})";

}  // namespace

TEST_CASE(
    "GET /metrics is Prometheus text in which every family has HELP and TYPE, and request, "
    "latency and expiry counters rise with the requests served") {
  node_options options;
  options.settings_json = R"({"ExpirySweepMs":100})";
  node_process node(options);
  http_client client;
  const auto before = scrape(client, node.url("/metrics"));
  CHECK(before.value("ovo_node_status_available") == 1);
  CHECK(before.value("ovo_objects") == 0);
  CHECK(before.value("process_resident_memory_bytes") > 1e6);
  CHECK(before.value("process_open_fds") > 3);
  CHECK(before.value("process_start_time_seconds") > 1.7e9);
  CHECK(before.type_of.at("ovo_http_request_duration_seconds") == "histogram");
  for (int i = 0; i < 5; ++i)
    REQUIRE(client
                .request("PUT", node.url("/ovo/keystorage"),
                         R"({"Key":"m)" + std::to_string(i) + R"(","Data":"aGk=","TTL":1})")
                .status == 200);
  for (int i = 0; i < 3; ++i) CHECK(client.get(node.url("/ovo/keystorage/absent")).status == 404);
  CHECK(client.get(node.url("/nowhere")).status == 404);
  const auto after = scrape(client, node.url("/metrics"));
  CHECK(after.value(put_ok) == std::max(0.0, before.value(put_ok)) + 5);
  CHECK(after.value(R"(ovo_http_requests_total{operation="get",status="404",code="101"})") == 3);
  CHECK(after.value(R"(ovo_http_requests_total{operation="other",status="404",code="12"})") == 1);
  CHECK(after.value(R"(ovo_http_request_duration_seconds_count{operation="put"})") == 5);
  CHECK(after.value(R"(ovo_http_request_duration_seconds_bucket{operation="put",le="+Inf"})") == 5);
  CHECK(after.value(R"(ovo_http_request_duration_seconds_sum{operation="put"})") > 0);
  CHECK(after.value("ovo_objects") == 5);
  // The keys expire after 1 s; the sweep (every 100 ms here) counts them.
  double expired = 0;
  for (int i = 0; i < 40 && expired < 5; ++i) {
    std::this_thread::sleep_for(100ms);
    expired = scrape(client, node.url("/metrics")).value("ovo_expired_keys_total");
  }
  CHECK(expired == 5);
}

TEST_CASE("GET /metrics needs a token of a node with a TokenFile, and a read token suffices") {
  const auto tokens = make_temp_dir() + "/tokens";
  write_file(tokens, "reader-metrics read\n");
  node_options options;
  options.settings_json = R"({"TokenFile":")" + tokens + R"("})";
  node_process node(options);
  http_client anonymous, reader;
  reader.bearer_token = "reader-metrics";
  CHECK(anonymous.get(node.url("/metrics")).status == 401);
  CHECK(reader.get(node.url("/metrics")).status == 200);
  CHECK(reader.request("POST", node.url("/metrics"), "{}").status == 405);
}

TEST_CASE(
    "in a cluster GET /metrics shows forwarded requests, slot moves with their keys and bytes "
    "after a join, peer links up, and a killed peer's link down") {
  test_cluster c(2);
  REQUIRE(c.ready({0, 1}));
  const auto remote_key = c.key_owned_by(1, "fwd");
  for (int i = 0; i < 100; ++i) REQUIRE(c.put(0, "moved-" + std::to_string(i), "v").status == 200);
  REQUIRE(c.put(0, remote_key, "v").status == 200);
  http_client client;
  auto on0 = scrape(client, c.nodes[0]->url("/metrics"));
  CHECK(on0.value("ovo_forwarded_requests_total") >= 1);
  CHECK(on0.value(R"(ovo_peer_link_up{peer="node1"})") == 1);
  const int late = c.add_node();
  REQUIRE(c.ready({0, 1, late}, 20));
  double moved = 0, keys_sent = 0, bytes_sent = 0;
  for (int i : {0, 1}) {
    const auto e = scrape(client, c.nodes[i]->url("/metrics"));
    moved += e.value("ovo_slot_moves_total");
    keys_sent += e.value("ovo_slot_move_keys_total");
    bytes_sent += e.value("ovo_slot_push_bytes_total");
    CHECK(e.value("ovo_rebalance_passes_total") >= 1);
  }
  CHECK(moved > 0);
  CHECK(keys_sent > 0);
  CHECK(bytes_sent >= keys_sent * 48);  // wire_size: each entry's bytes plus 48
  c.nodes[late]->stop(SIGKILL, 5s);
  REQUIRE_FALSE(c.nodes[late]->running());
  double link = 1;
  for (int i = 0; i < 50 && link != 0; ++i) {
    std::this_thread::sleep_for(100ms);
    link = scrape(client, c.nodes[0]->url("/metrics"))
               .value(R"(ovo_peer_link_up{peer=")" + test_cluster::name(late) + R"("})");
  }
  CHECK(link == 0);
}
