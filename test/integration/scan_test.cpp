// GET /ovo/scan (docs/protocol.md, "Scan"): a cursor that walks the whole cluster slot by slot
// through any node, every key present for the whole scan exactly once, even across a rebalance.

#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <map>
#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;

namespace {

struct scan_result {
  std::map<std::string, int> seen;  ///< key -> times returned
  int pages = 0;
  std::size_t largest_page = 0;
};

/// Scans through the nodes in turn, `count` keys a page, until the cursor is "0" again. A 503
/// (a slot still arriving at its new owner) is retried with the same cursor, at most 100 times.
/// `between` runs after each page.
scan_result scan_all(test_cluster& c, int count, const std::function<void(int page)>& between = {},
                     const std::string& match = "") {
  scan_result out;
  std::string cursor = "0";
  int retries = 0;
  for (int call = 0; call < 100'000; ++call) {
    const auto node = call % c.size();
    if (!c.nodes[node]->running()) continue;
    auto path = "/ovo/scan?cursor=" + cursor + "&count=" + std::to_string(count);
    if (!match.empty()) path += "&match=" + match;
    const auto answer = c.call(node, "GET", path);
    if (answer.status == 503 && retries++ < 100) {
      std::this_thread::sleep_for(50ms);
      continue;
    }
    REQUIRE_MESSAGE(answer.status == 200, answer.body << " " << answer.header("X-Ovo-Error"));
    const auto data = answer.envelope()["Data"];
    for (const auto& key : data["Keys"]) ++out.seen[key.get<std::string>()];
    out.largest_page = std::max(out.largest_page, data["Keys"].size());
    ++out.pages;
    if (between) between(out.pages);
    cursor = data["Cursor"].get<std::string>();
    if (cursor == "0") return out;
  }
  FAIL("the scan did not complete");
  return out;
}

/// Every key of `keys` returned exactly once.
void check_exactly_once(const scan_result& result, const std::vector<std::string>& keys) {
  for (const auto& key : keys) {
    const auto it = result.seen.find(key);
    CHECK_MESSAGE((it != result.seen.end() && it->second == 1),
                  key << " returned " << (it == result.seen.end() ? 0 : it->second) << " times");
  }
}

std::vector<std::string> put_keys(test_cluster& c, const std::string& prefix, int n) {
  std::vector<std::string> keys;
  for (int i = 0; i < n; ++i) {
    keys.push_back(prefix + std::to_string(i));
    REQUIRE(c.put(i % c.size(), keys.back(), "v").status == 200);
  }
  return keys;
}

}  // namespace

TEST_CASE(
    "a scan through any node returns every key of a 3-node cluster exactly once, in pages of at "
    "most count, and match filters them") {
  test_cluster c(3);
  REQUIRE(c.ready({0, 1, 2}));
  const auto keys = put_keys(c, "user:", 400);
  put_keys(c, "order:", 50);
  const auto all = scan_all(c, 37);
  check_exactly_once(all, keys);
  CHECK(all.seen.size() == 450);
  CHECK(all.largest_page <= 37);
  const auto users = scan_all(c, 1000, {}, "user:*");
  check_exactly_once(users, keys);
  CHECK(users.seen.size() == 400);
}

TEST_CASE(
    "a scan returns every key present for the whole scan exactly once across a live join and "
    "its rebalance, while other keys come and go") {
  test_cluster c(2);
  REQUIRE(c.ready({0, 1}));
  const auto stable = put_keys(c, "stable-", 1500);
  int joined = -1, churn = 0;
  const auto result = scan_all(c, 20, [&](int page) {
    if (page == 10) joined = c.add_node();  // the new node takes slots over meanwhile
    // The rest of the scan then spans the slots' moves (about 2 s), not a moment before them.
    if (joined >= 0) std::this_thread::sleep_for(40ms);
    if (page % 3 == 0) {  // keys added and removed during the scan
      const auto key = "churn-" + std::to_string(churn++);
      c.put(page % 2, key, "v");
      c.call(page % 2, "DELETE", "/ovo/keystorage/churn-" + std::to_string(churn / 2));
    }
  });
  REQUIRE(joined >= 0);
  check_exactly_once(result, stable);
  CHECK(c.ready({0, 1, joined}, 20));
  CHECK(c.view(0).at(test_cluster::name(joined)).second.size() > 0);  // it did take slots
}

TEST_CASE("a bad scan cursor, count or method answers 400 or 405 and nothing else happens") {
  test_cluster c(1);
  const auto bad_cursor = c.call(0, "GET", "/ovo/scan?cursor=zz");
  CHECK(bad_cursor.status == 400);
  CHECK(bad_cursor.code() == "10");
  CHECK(bad_cursor.envelope()["Data"].is_null());
  CHECK(c.call(0, "GET", "/ovo/scan?cursor=200").status == 400);
  CHECK(c.call(0, "GET", "/ovo/scan?count=0").status == 400);
  CHECK(c.call(0, "GET", "/ovo/scan?count=1001").status == 400);
  CHECK(c.call(0, "GET", "/ovo/scan?count=ten").status == 400);
  CHECK(c.call(0, "POST", "/ovo/scan", "{}").status == 405);
  const auto empty = c.call(0, "GET", "/ovo/scan");
  CHECK(empty.status == 200);
  CHECK(empty.envelope()["Data"]["Keys"].empty());
  CHECK(empty.envelope()["Data"]["Cursor"] == "1");
}
