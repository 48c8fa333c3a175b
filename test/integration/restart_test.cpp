// A node back from kill -9 starts with empty tables. Until its slots' data is there it must not
// answer from them: reads and increments read through to the slot's current holder, or answer
// 503 and change nothing (docs/cluster.md, "Restart").

#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <set>
#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

/// Increments `key` by 1 through `node` from `threads` clients at once, `per_thread` each.
struct increment_results {
  int acknowledged = 0, unavailable = 0, other = 0;
  std::vector<int64_t> totals;  ///< the totals the acknowledged increments answered
};

increment_results increment_concurrently(test_cluster& c, int node, const std::string& key,
                                         int threads, int per_thread) {
  std::vector<increment_results> each(static_cast<std::size_t>(threads));
  std::vector<std::thread> clients;
  for (int t = 0; t < threads; ++t)
    clients.emplace_back([&, mine = &each[static_cast<std::size_t>(t)]] {
      http_client client;
      const auto body = json{{"Key", key}, {"Value", 1}}.dump();
      for (int i = 0; i < per_thread; ++i) {
        auto answer = client.request(
            "PUT", c.nodes[static_cast<std::size_t>(node)]->url("/ovo/counters"), body);
        if (answer.status == 200) {
          ++mine->acknowledged;
          mine->totals.push_back(answer.envelope()["Data"]["Value"].get<int64_t>());
        } else if (answer.status == 503) {
          ++mine->unavailable;  // nothing applied: the client may retry
        } else {
          ++mine->other;
        }
      }
    });
  for (auto& client : clients) client.join();
  increment_results all;
  for (const auto& mine : each) {
    all.acknowledged += mine.acknowledged;
    all.unavailable += mine.unavailable;
    all.other += mine.other;
    all.totals.insert(all.totals.end(), mine.totals.begin(), mine.totals.end());
  }
  return all;
}

/// Waits (at most 10 s) until node `i`'s own view has all of the cluster's nodes ACTIVE: it
/// reaches its peers (its slots' data may still be arriving).
bool reaches_every_peer(test_cluster& c, int i) {
  return within(10, [&] {
    const auto view = c.view(i);
    bool all = view.size() == static_cast<std::size_t>(c.size());
    for (const auto& [name, node] : view) all = all && node.first == "ACTIVE";
    return all;
  });
}

/// Waits (at most 10 s) until every node reads `expected` for counter `key`.
bool every_node_reads(test_cluster& c, const std::string& key, int64_t expected) {
  return within(10, [&] {
    for (int node = 0; node < c.size(); ++node) {
      auto read = c.call(node, "GET", "/ovo/counters/" + key);
      if (read.status != 200 || read.envelope()["Data"]["Value"] != expected) return false;
    }
    return true;
  });
}

}  // namespace

TEST_CASE("increments through a node restarted from .temp continue from the surviving total") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  const auto key = c.key_owned_by(1, "restart-counter-");
  REQUIRE(c.call(2, "POST", "/ovo/counters", json{{"Key", key}, {"Value", 500}}.dump()).status ==
          200);
  c.nodes[1]->stop(SIGKILL, 2s);
  std::this_thread::sleep_for(5s);  // the survivors fail node1's slots over meanwhile
  // The restarted node first reaches no peer (they are frozen): it must not count from its
  // empty table, nor acknowledge anything it cannot back.
  c.nodes[0]->signal(SIGSTOP);
  c.nodes[2]->signal(SIGSTOP);
  c.restart(1);
  const auto alone = increment_concurrently(c, 1, key, 4, 5);
  c.nodes[0]->signal(SIGCONT);
  c.nodes[2]->signal(SIGCONT);
  MESSAGE("before reaching a peer: " << alone.acknowledged << " acknowledged, " << alone.unavailable
                                     << " answered 503");
  CHECK(alone.acknowledged == 0);
  CHECK(alone.unavailable == 20);
  // Then, from the moment it reaches them (its slots still arriving), 4 clients at once
  // through it (started before that, all 200 could answer 503 before it reaches them).
  REQUIRE(reaches_every_peer(c, 1));
  const auto joined = increment_concurrently(c, 1, key, 4, 50);
  MESSAGE("after: " << joined.acknowledged << " acknowledged, " << joined.unavailable
                    << " answered 503");
  CHECK(joined.other == 0);
  CHECK(joined.acknowledged > 0);
  std::set<int64_t> seen;
  for (auto total : joined.totals) {
    CHECK(total > 500);  // never counted from an empty table
    seen.insert(total);
  }
  CHECK(seen.size() == joined.totals.size());  // no two increments saw the same total
  REQUIRE(c.converged({0, 1, 2}, 3));
  // Every node reads the surviving total plus exactly the acknowledged increments.
  CHECK(every_node_reads(c, key, 500 + joined.acknowledged));
}
