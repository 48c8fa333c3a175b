// POST /ovo/mget and /ovo/mset (docs/protocol.md, "Bulk: mget and mset"): through any node of
// a cluster, one entry per key in request order, one forward per owner; too many entries 413,
// a malformed body 400, and neither writes anything; a dead owner's keys answer 503/"14" while
// the others succeed; a read token may mget but not mset; the C++ client's get_many/put_many.

#include "core/base64.hpp"
#include "core/slot_hash.hpp"
#include "ovo/client.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>

using namespace ovo::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

/// `count` keys named `prefix`0, `prefix`1, ... whose slots node `owner` owns in node 0's view.
std::vector<std::string> keys_owned_by(test_cluster& c, int owner, const std::string& prefix,
                                       std::size_t count) {
  const auto slots = c.view(0)[test_cluster::name(owner)].second;
  std::vector<std::string> keys;
  for (int i = 0; keys.size() < count; ++i) {
    auto key = prefix + std::to_string(i);
    for (const auto& slot : slots)
      if (slot == ovo::slot_of(key)) keys.push_back(key);
  }
  return keys;
}

/// {"Items":[{"Key":k,"Data":base64("value of k")},...]}
std::string mset_body(const std::vector<std::string>& keys) {
  json items = json::array();
  for (const auto& key : keys)
    items.push_back({{"Key", key}, {"Data", to_base64("value of " + key)}});
  return json{{"Items", items}}.dump();
}

std::string mget_body(const std::vector<std::string>& keys) { return json{{"Keys", keys}}.dump(); }

/// The entries of a 200 bulk answer.
json entries_of(const http_response& answer) {
  REQUIRE_MESSAGE(answer.status == 200, answer.body << " " << answer.header("X-Ovo-Error"));
  const auto envelope = answer.envelope();
  CHECK(envelope["Status"] == "done");
  CHECK(envelope["Code"] == "0");
  return envelope["Data"];
}

/// The value of an mget entry (decoded), or "<Code>" when it has none.
std::string value_in(const json& entry) {
  if (!entry["Data"].is_string()) return "<" + entry["Code"].get<std::string>() + ">";
  return ovo::decode_base64(entry["Data"].get<std::string>()).value_or("<bad base64>");
}

}  // namespace

TEST_CASE(
    "mset and mget through one node of a 3-node cluster reach every owner, answer in request "
    "order, and every key then reads back through every node") {
  test_cluster c(3);
  REQUIRE(c.ready({0, 1, 2}));
  std::vector<std::string> keys;
  for (int owner = 0; owner < 3; ++owner)
    for (auto& key : keys_owned_by(c, owner, "bulk" + std::to_string(owner) + "-", 20))
      keys.push_back(std::move(key));
  std::rotate(keys.begin(), keys.begin() + 7, keys.end());  // owners interleave in the request

  const auto written = entries_of(c.call(0, "POST", "/ovo/mset", mset_body(keys)));
  REQUIRE(written.size() == keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    CHECK(written[i]["Key"] == keys[i]);
    CHECK(written[i]["Status"] == "done");
    CHECK(written[i]["Code"] == "0");
    CHECK(written[i]["Data"].is_null());
  }
  for (int node = 0; node < 3; ++node)
    for (const auto& key : keys) CHECK(c.value_of(node, key) == "value of " + key);

  // Read back through another node, with a missing key and a key asked twice.
  auto asked = keys;
  asked.insert(asked.begin() + 3, "bulk-missing");
  asked.push_back(keys.front());
  const auto read = entries_of(c.call(1, "POST", "/ovo/mget", mget_body(asked)));
  REQUIRE(read.size() == asked.size());
  for (std::size_t i = 0; i < asked.size(); ++i) {
    CHECK(read[i]["Key"] == asked[i]);
    if (asked[i] == "bulk-missing") {
      CHECK(read[i]["Status"] == "error");
      CHECK(value_in(read[i]) == "<101>");
    } else {
      CHECK(value_in(read[i]) == "value of " + asked[i]);
    }
  }

  // A key twice in one mset: both items answered, applied in request order.
  const auto twice =
      entries_of(c.call(2, "POST", "/ovo/mset",
                        json{{"Items",
                              {{{"Key", keys[5]}, {"Data", to_base64("first")}},
                               {{"Key", keys[5]}, {"Data", to_base64("second")}, {"TTL", 600}}}}}
                            .dump()));
  CHECK(twice.size() == 2);
  CHECK(c.value_of(0, keys[5]) == "second");

  const auto metrics = c.call(1, "GET", "/metrics").body;
  CHECK(metrics.find(R"(ovo_http_requests_total{operation="mget",status="200",code="0"} 1)") !=
        std::string::npos);
}

TEST_CASE(
    "a bulk request of 1001 entries answers 413/11, a malformed one 400/10, and neither writes "
    "anything, while an item with a bad value fails alone") {
  test_cluster c(1, R"({"MaxValueBytes":16})");
  REQUIRE(c.ready({0}));
  std::vector<std::string> many;
  for (int i = 0; i < 1001; ++i) many.push_back("many-" + std::to_string(i));
  const auto too_many = c.call(0, "POST", "/ovo/mset", mset_body(many));
  CHECK(too_many.status == 413);
  CHECK(too_many.code() == "11");
  CHECK(too_many.envelope()["Data"].is_null());
  const auto too_many_reads = c.call(0, "POST", "/ovo/mget", mget_body(many));
  CHECK(too_many_reads.status == 413);
  CHECK(too_many_reads.code() == "11");

  // Each refuses the whole request although its first item is fine.
  const auto good = R"({"Key":"first","Data":"dg=="})";
  for (const std::string& body :
       {std::string("not json"), std::string(R"({"Items":{"Key":"first"}})"),
        R"({"Items":[)" + std::string(good) + R"(,"second"]})",
        R"({"Items":[)" + std::string(good) + R"(,{"Key":7}]})",
        R"({"Items":[)" + std::string(good) + R"(,{"Key":"x","TTL":-1}]})"}) {
    CAPTURE(body);
    const auto refused = c.call(0, "POST", "/ovo/mset", body);
    CHECK(refused.status == 400);
    CHECK(refused.code() == "10");
  }
  CHECK(c.call(0, "POST", "/ovo/mget", R"({"Keys":["first",7]})").status == 400);
  CHECK(c.call(0, "GET", "/ovo/mget").status == 405);
  CHECK(c.call(0, "GET", "/ovo/keystorage").envelope()["Data"] == 0);  // nothing was written

  const auto mixed =
      entries_of(c.call(0, "POST", "/ovo/mset",
                        json{{"Items",
                              {{{"Key", "small"}, {"Data", to_base64("fits")}},
                               {{"Key", "large"}, {"Data", to_base64(std::string(17, 'x'))}},
                               {{"Key", ""}, {"Data", to_base64("no key")}}}}}
                            .dump()));
  REQUIRE(mixed.size() == 3);
  CHECK(mixed[0]["Code"] == "0");
  CHECK(mixed[1]["Code"] == "11");
  CHECK(mixed[1]["Key"] == "large");
  CHECK(mixed[2]["Code"] == "10");
  CHECK(c.value_of(0, "small") == "fits");
  CHECK(c.value_of(0, "large") == "<404>");
}

TEST_CASE(
    "with one owner killed its keys answer 503/14 in a bulk request while the other owners' "
    "keys succeed") {
  // NodeTimeoutMs 60 s: the survivors do not take the dead node's slots over during the test,
  // so its keys stay unreachable; MinCopies 1: writes do not need the dead replica holder.
  test_cluster c(3, R"({"NodeTimeoutMs":60000,"MinCopies":1})");
  REQUIRE(c.ready({0, 1, 2}));
  const auto alive = keys_owned_by(c, 1, "alive-", 5);
  const auto dead = keys_owned_by(c, 2, "dead-", 5);
  const auto local = keys_owned_by(c, 0, "local-", 5);
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < 5; ++i) keys.insert(keys.end(), {dead[i], alive[i], local[i]});
  for (const auto& entry : entries_of(c.call(0, "POST", "/ovo/mset", mset_body(keys))))
    REQUIRE(entry["Code"] == "0");

  c.nodes[2]->stop(SIGKILL, 2s);
  const auto read = entries_of(c.call(0, "POST", "/ovo/mget", mget_body(keys)));
  const auto rewritten = entries_of(c.call(0, "POST", "/ovo/mset", mset_body(keys)));
  REQUIRE(read.size() == keys.size());
  REQUIRE(rewritten.size() == keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    CAPTURE(keys[i]);
    const bool owner_dead = i % 3 == 0;
    CHECK(read[i]["Key"] == keys[i]);
    CHECK(value_in(read[i]) == (owner_dead ? "<14>" : "value of " + keys[i]));
    CHECK(rewritten[i]["Code"] == (owner_dead ? "14" : "0"));
  }
}

TEST_CASE("a read token may mget but its mset answers 403/17 and writes nothing") {
  const auto tokens = make_temp_dir() + "/tokens";
  write_file(tokens, "reader-7f3a read\nwriter-91c2 read-write\n");
  test_cluster c(1, R"({"TokenFile":")" + tokens + R"("})");
  c.clients[0]->bearer_token = "reader-7f3a";
  REQUIRE(c.ready({0}));
  const auto refused = c.call(0, "POST", "/ovo/mset", mset_body({"tokened"}));
  CHECK(refused.status == 403);
  CHECK(refused.code() == "17");
  CHECK(value_in(entries_of(c.call(0, "POST", "/ovo/mget", mget_body({"tokened"})))[0]) == "<101>");
  c.clients[0]->bearer_token = "writer-91c2";
  CHECK(entries_of(c.call(0, "POST", "/ovo/mset", mset_body({"tokened"})))[0]["Code"] == "0");
  c.clients[0]->bearer_token = "reader-7f3a";
  CHECK(value_in(entries_of(c.call(0, "POST", "/ovo/mget", mget_body({"tokened"})))[0]) ==
        "value of tokened");
}

TEST_CASE(
    "the C++ client's put_many and get_many handle more keys than one request takes, in order, "
    "with per-key results") {
  test_cluster c(3);
  REQUIRE(c.ready({0, 1, 2}));
  ovo::client::cluster_client client({c.rest_address(1)});
  std::vector<ovo::client::cluster_client::item> items;
  std::vector<std::string> keys;
  for (int i = 0; i < 1500; ++i) {
    keys.push_back("many-" + std::to_string(i));
    items.push_back({keys.back(), "v" + std::to_string(i), i % 2 ? 600 : 0, "c"});
  }
  const auto stored = client.put_many(items);
  REQUIRE(stored.size() == items.size());
  CHECK(std::all_of(stored.begin(), stored.end(), [](const auto& r) { return r.ok(); }));
  CHECK(stored[1234].key == "many-1234");
  keys.push_back("many-missing");
  const auto found = client.get_many(keys);
  REQUIRE(found.size() == keys.size());
  bool all_found = true;
  for (int i = 0; i < 1500; ++i)
    all_found = all_found && found[i].key == keys[i] && found[i].ok() &&
                found[i].value == "v" + std::to_string(i);
  CHECK(all_found);
  CHECK(found.back().code == "101");
  CHECK_FALSE(found.back().value.has_value());
  CHECK(client.get("many-777") == std::optional<std::string>("v777"));
  CHECK(client.get_many({}).empty());
}
