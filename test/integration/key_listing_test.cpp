// GET /ovo/keys of a node whose listing is far bigger than one response piece
// (rest/piecewise_response.hpp): the same answer, head and body, as a small one sends whole.

#include "test/integration/api_session.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace ovo::test;
using json = nlohmann::json;

namespace {

/// Keys in batches of mset's limit; a few bytes of each need escaping in JSON.
std::set<std::string> store_keys(api_session& api, int count) {
  std::set<std::string> keys;
  for (int batch = 0; batch * 1000 < count; ++batch) {
    json items = json::array();
    for (int i = batch * 1000; i < std::min(count, (batch + 1) * 1000); ++i) {
      const auto key = "listed-" + std::to_string(i) + (i % 7 == 0 ? "-\"q\"\\\t\xc3\xbc" : "");
      items.push_back({{"Key", key}, {"Data", "dg=="}});
      keys.insert(key);
    }
    REQUIRE(api.call("POST", "/ovo/mset", json{{"Items", items}}.dump()).status == 200);
  }
  return keys;
}

}  // namespace

TEST_CASE("a listing sent in pieces holds every key once, framed as a small answer") {
  api_session api;
  const auto small = api.call("GET", "/ovo/keys");  // no key yet: one write
  const auto stored = store_keys(api, 30000);

  const auto listing = api.call("GET", "/ovo/keys");
  REQUIRE(listing.status == 200);
  CHECK(listing.body.size() > 4 * 64 * 1024);  // pieces of 64 KiB
  CHECK(listing.header("Content-Length") == std::to_string(listing.body.size()));
  for (const auto* name : {"Content-Type", "Connection"})
    CHECK(listing.header(name) == small.header(name));
  const auto envelope = listing.envelope();
  CHECK(envelope["Status"] == "done");
  CHECK(envelope["Code"] == "0");
  const auto& keys = envelope["Data"]["Keys"];
  CHECK(keys.size() == stored.size());
  CHECK(keys.get<std::set<std::string>>() == stored);
  // The same keep-alive connection carries on: the answer ended where its length said.
  CHECK(api.key_count() == 30000);
}
