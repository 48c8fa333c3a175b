// Settings.MaxMemoryBytes and EvictionPolicy (docs/memory.md) against real nodes: the 507 of
// noeviction, RSS under sustained writes with eviction, hot keys kept, evictions reaching the
// replica holders, and RSS coming back after everything is deleted.

#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

using namespace ovo::test;
using json = nlohmann::json;

namespace {

constexpr uint64_t mib = 1024 * 1024;

/// VmRSS of process `pid`, in bytes (0 when unreadable).
uint64_t rss_of(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
}

/// The value of one unlabelled sample of node `i`'s /metrics (-1 when absent).
double metric(test_cluster& c, int i, const std::string& name) {
  std::istringstream lines(c.call(i, "GET", "/metrics").body);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  return -1;
}

std::string settings(uint64_t cap, const char* policy) {
  return json{{"MaxMemoryBytes", cap}, {"EvictionPolicy", policy}, {"VerifyIntervalSeconds", 0}}
      .dump();
}

/// Deletes every key node `i` lists.
void delete_everything(test_cluster& c, int i) {
  const auto listing = c.call(i, "GET", "/ovo/keys");
  REQUIRE_MESSAGE(listing.status == 200, listing.body.substr(0, 200));
  const auto keys = listing.envelope()["Data"]["Keys"];
  REQUIRE_MESSAGE(!keys.empty(), listing.body.substr(0, 200));
  for (const auto& key : keys)
    REQUIRE(c.call(i, "DELETE", "/ovo/keystorage/" + key.get<std::string>()).status == 200);
}

}  // namespace

TEST_CASE("at the cap under noeviction a put answers 507 with Code 15 and changes nothing") {
  test_cluster c(1, settings(4 * mib, "noeviction"));
  const std::string value(4096, 'v');
  int stored = 0;
  http_response refused;
  for (; stored < 5000; ++stored) {
    refused = c.put(0, "key" + std::to_string(stored), value);
    if (refused.status != 200) break;
  }
  REQUIRE(refused.status == 507);
  CHECK(refused.body == R"({"Status":"error","Code":"15","Data":null})");
  CHECK(refused.header("X-Ovo-Error").find("MaxMemoryBytes") != std::string::npos);
  CHECK(stored > 500);  // 4 MiB hold about 1,000 of them (a shard refuses when its share is full)
  const auto refused_key = "key" + std::to_string(stored);
  CHECK(c.value_of(0, refused_key) == "<404>");
  CHECK(c.call(0, "GET", "/ovo/keys").envelope()["Data"]["Keys"].size() ==
        static_cast<std::size_t>(stored));
  CHECK(c.value_of(0, "key0") == value);
  CHECK(c.call(0, "DELETE", "/ovo/keystorage/key0").status == 200);
  CHECK(c.value_of(0, "key0") == "<404>");
  CHECK(metric(c, 0, "ovo_stored_bytes") <= static_cast<double>(4 * mib));
  CHECK(metric(c, 0, "ovo_max_memory_bytes") == static_cast<double>(4 * mib));
  CHECK(metric(c, 0, "ovo_evictions_total") == 0);
}

TEST_CASE(
    "with eviction RSS stays under the cap plus 10% plus 16 MiB under sustained writes, hot "
    "keys survive, and RSS falls after deleting everything") {
  const uint64_t cap = 64 * mib;
  test_cluster c(1, settings(cap, "clock"));
  const auto pid = c.nodes[0]->pid();
  const auto at_start = rss_of(pid);
  const std::string value(4096, 'v');
  std::vector<std::string> hot;
  for (int i = 0; i < 20; ++i) {
    hot.push_back("hot" + std::to_string(i));
    REQUIRE(c.put(0, hot.back(), value).status == 200);
  }
  uint64_t peak = 0;
  const int writes = 60'000;  // 240 MiB of values: the cap is passed almost four times
  for (int i = 0; i < writes; ++i) {
    REQUIRE(c.put(0, "cold" + std::to_string(i), value).status == 200);
    if (i % 50 == 0)
      for (const auto& key : hot) REQUIRE(c.value_of(0, key) == value);
    if (i % 1000 == 0) peak = std::max(peak, rss_of(pid));
  }
  peak = std::max(peak, rss_of(pid));
  MESSAGE("peak RSS " << peak / mib << " MiB under a cap of " << cap / mib << " MiB");
  CHECK(peak < cap + cap / 10 + 16 * mib);
  CHECK(metric(c, 0, "ovo_evictions_total") > 40'000);
  CHECK(metric(c, 0, "ovo_stored_bytes") <= static_cast<double>(cap));
  CHECK(metric(c, 0, "ovo_cache_hits_total") >= 20.0 * (writes / 50));

  // The heap trimmer gives at least three quarters of what the data took back within seconds.
  delete_everything(c, 0);
  CHECK(within(5, [&] { return rss_of(pid) < at_start + (peak - at_start) / 4; }));
  MESSAGE("RSS " << at_start / mib << " MiB at start, " << rss_of(pid) / mib
                 << " MiB after deleting everything");
}

TEST_CASE("an owner's evictions reach its replica holder and the copies stay identical") {
  test_cluster c(2, settings(16 * mib, "clock"));
  REQUIRE(c.converged({0, 1}, 2));
  REQUIRE(c.ready({0, 1}));
  const std::string value(2048, 'v');
  const int writes = 12'000;  // 24 MiB of values on each node (owner and replica copies)
  for (int i = 0; i < writes; ++i)
    REQUIRE(c.put(i % 2, "key" + std::to_string(i), value).status == 200);
  CHECK(metric(c, 0, "ovo_evictions_total") > 0);
  CHECK(metric(c, 1, "ovo_evictions_total") > 0);
  // Evictions travel without being waited for: give the last ones a moment.
  std::map<std::string, std::set<std::string>> where;
  CHECK(within(5, [&] {
    where = c.placement({0, 1});
    return std::all_of(where.begin(), where.end(),
                       [](const auto& entry) { return entry.second.size() == 2; });
  }));
  CHECK(where.size() < static_cast<std::size_t>(writes));
  CHECK(where.size() > static_cast<std::size_t>(writes) / 4);
  auto verify = run_ovoctl({"--node", c.api_address(0), "--json", "verify"});
  CHECK_MESSAGE(verify.exit_code == 0, verify.output);
  CHECK(verify.output.find("\"KeysDiffering\":0") != std::string::npos);
  auto status = run_ovoctl({"--node", c.api_address(0), "status"});
  CHECK(status.output.find("evictions") != std::string::npos);
  CHECK(status.output.find("of 16 MiB") != std::string::npos);
}
