// A slot larger than several chunks (4,096 entries or 1 MiB each; a larger value travels alone)
// moves to a joining node chunk by chunk while it is written to: every key arrives, every
// acknowledged write is read back through both nodes, and each chunk is logged.

#include "core/base64.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

TEST_CASE("a slot of 9000 keys and three 1.5 MiB values moves in chunks while it is written to") {
  test_cluster c(1, R"({"LogLevel":"debug","MaxValueBytes":2000000})");
  REQUIRE(c.converged({0}, 1));
  // Slot 100 goes to the second node of a 2-node layout (node0 keeps 0-63).
  const auto keys = keys_in_slot(100, 9'003, "chunked-");
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const auto value = i < 3 ? std::string(1'500'000, 'L') : "v0-" + keys[i];
    REQUIRE(c.put(0, keys[i], value).status == 200);
  }
  // Writers overwrite the first 500 small keys through both nodes while the slot moves.
  std::atomic<bool> stop{false};
  std::map<std::string, std::string> acknowledged;
  std::thread writer([&] {
    http_client client;
    for (int round = 1; round <= 50 && !stop; ++round)
      for (std::size_t i = 3; i < 503 && !stop; ++i) {
        const auto value = "v" + std::to_string(round) + "-" + keys[i];
        const auto port = c.ports[i % c.ports.size()];
        auto answer =
            client.request("PUT", "http://127.0.0.1:" + std::to_string(port) + "/ovo/keystorage",
                           json{{"Key", keys[i]}, {"Data", to_base64(value)}}.dump());
        if (answer.status == 200) acknowledged[keys[i]] = value;
      }
  });
  c.add_node();
  CHECK(c.converged({0, 1}, 2));
  CHECK(c.wait_for_exact_placement({0, 1}, keys, 60).empty());
  stop = true;
  writer.join();
  for (int node = 0; node < 2; ++node) {
    CAPTURE(node);
    CHECK(c.value_of(node, keys[0]) == std::string(1'500'000, 'L'));
    int wrong = 0;
    for (std::size_t i = 3; i < keys.size(); ++i) {
      const auto it = acknowledged.find(keys[i]);
      const auto expected = it != acknowledged.end() ? it->second : "v0-" + keys[i];
      // A write answered 503 may still have landed: then a newer value than expected is read.
      const auto read = c.value_of(node, keys[i]);
      if (read != expected && it == acknowledged.end() && read.rfind("v", 0) != 0) ++wrong;
      if (it != acknowledged.end() && read != expected) {
        const auto round_of = [](const std::string& v) { return std::stoi(v.substr(1)); };
        if (read.rfind("v", 0) != 0 || round_of(read) < round_of(expected)) ++wrong;
      }
    }
    CHECK(wrong == 0);
  }
  // node0 sent slot 100's objects in at least 3 chunks (9,000 small entries, 3 large alone).
  const auto log = c.log_lines({0}, "slot 100: object chunk");
  CHECK(log.find("chunk 1/") != std::string::npos);
  CHECK(log.find("chunk 5/") != std::string::npos);
  MESSAGE(acknowledged.size() << " keys overwritten during the move");
}
