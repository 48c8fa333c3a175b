// The requests the .Net client (maxzerbini/ovodotnet: RestSharp 105 + Newtonsoft.Json) puts on
// the wire, byte for byte, and what it needs back: byte[] values as JSON arrays of numbers,
// null for absent strings, "Data":null on every error (docs/protocol.md, "Clients checked").

#include "core/slot_hash.hpp"
#include "test/integration/api_session.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <set>
#include <thread>

using namespace ovo::test;
using json = nlohmann::json;

namespace {

/// What RestSharp 105's SimpleJson writes for a byte[]: [104,101,108,108,111].
std::string byte_array(const std::string& bytes) {
  std::string out = "[";
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(static_cast<unsigned char>(bytes[i]));
  }
  return out + "]";
}

}  // namespace

TEST_CASE(".Net Put with Data as a number array and null Collection stores those bytes") {
  api_session api;
  auto put =
      api.call("PUT", "/ovo/keystorage",
               R"({"Key":"k","Data":[104,101,108,108,111],"Collection":null,"TTL":0,"Hash":0})");
  CHECK(put.status == 200);
  CHECK(put.body == R"({"Status":"done","Code":"0","Data":null})");
  CHECK(api.value_of("k") == "hello");
  const std::string binary("\0\x01\x7f\x80\xfe\xff", 6);
  CHECK(api.call("POST", "/ovo/keystorage",
                 R"({"Key":"bin","Data":)" + byte_array(binary) +
                     R"(,"Collection":"c","TTL":60,"Hash":12345})")
            .status == 200);
  CHECK(api.value_of("bin") == binary);
  CHECK(api.call("PUT", "/ovo/keystorage",
                 R"({"Key":"empty","Data":[],"Collection":null,"TTL":0,"Hash":0})")
            .status == 200);
  CHECK(api.value_of("empty").empty());
}

TEST_CASE(
    ".Net PutRawData, UpdateValueIfEqual (NewKey = Key, a TTL) and DeleteValueIfEqual as "
    "captured") {
  api_session api;
  CHECK(api.call("POST", "/ovo/keystorage",
                 R"({"Key":"k","Data":[34,104,101,108,108,111,34],"TTL":0,"Hash":71})")
            .status == 200);
  CHECK(api.value_of("k") == "\"hello\"");
  auto update = api.call("POST", "/ovo/keystorage/k/updatevalueifequal",
                         R"({"NewKey":"k","NewData":[34,119,111,114,108,100,34],"NewHash":71,)"
                         R"("Key":"k","Data":[34,104,101,108,108,111,34],"TTL":0,"Hash":71})");
  CHECK(update.status == 200);
  CHECK(update.body == R"({"Status":"done","Code":"0","Data":null})");
  CHECK(api.value_of("k") == "\"world\"");
  CHECK(api.key_count() == 1);
  auto remove = api.call("POST", "/ovo/keystorage/k/deletevalueifequal",
                         R"({"Key":"k","Data":[34,119,111,114,108,100,34],"TTL":0,"Hash":71})");
  CHECK(remove.body == R"({"Status":"done","Code":"0","Data":null})");
  CHECK(api.key_count() == 0);
}

TEST_CASE(
    ".Net request headers are served: RestSharp's Accept list, Content-Length 0 on GET and DELETE, "
    "gzip") {
  api_session api;
  REQUIRE(api.put_object("k", "v").status == 200);
  raw_connection socket(api.node.port());
  const std::string headers =
      "Accept: application/json, application/xml, text/json, text/x-json, text/javascript, "
      "text/xml\r\nUser-Agent: RestSharp/105.2.3.0\r\nContent-Length: 0\r\n";
  // Keep-Alive on the first request of the connection only, as RestSharp sends it.
  REQUIRE(socket.send_all(
      "GET /ovo/keystorage/k HTTP/1.1\r\n" + headers +
      "Connection: Keep-Alive\r\nHost: x\r\nAccept-Encoding: gzip, deflate\r\n\r\n"));
  auto first = socket.receive(std::chrono::milliseconds(2000), 150);
  CHECK(first.received.find("HTTP/1.1 200") == 0);
  CHECK(first.received.find(R"({"Status":"done","Code":"0","Data":{"Key":"k","Data":"dg=="}})") !=
        std::string::npos);
  REQUIRE(socket.send_all("DELETE /ovo/keystorage/k HTTP/1.1\r\n" + headers + "Host: x\r\n\r\n"));
  auto second = socket.receive(std::chrono::milliseconds(2000), 100);
  CHECK(second.received.find("HTTP/1.1 200") == 0);
  CHECK_FALSE(second.closed_by_server);
  CHECK(api.value_of("k") == "<101>");
}

TEST_CASE(".Net UpdateValueIfEqual and DeleteValueIfEqual with number arrays compare bytes") {
  api_session api;
  REQUIRE(api.put_object("k", "hello").status == 200);
  const auto update = [&](const std::string& data, const std::string& new_data) {
    return api.call("PUT", "/ovo/keystorage/k/updatevalueifequal",
                    R"({"Key":"k","Data":)" + byte_array(data) + R"(,"NewData":)" +
                        byte_array(new_data) + R"(,"Hash":0})");
  };
  auto mismatch = update("nope", "x");
  CHECK(mismatch.status == 403);
  CHECK(mismatch.body == R"({"Status":"error","Code":"103","Data":null})");
  CHECK(update("hello", "world").status == 200);
  CHECK(api.value_of("k") == "world");
  auto keyvalue =
      api.call("PUT", "/ovo/keystorage/k/updatekeyvalueifequal",
               R"({"Key":"k","NewKey":"k2","Data":)" + byte_array("world") + R"(,"NewData":)" +
                   byte_array("moved") + R"(,"Hash":0,"NewHash":0})");
  CHECK(keyvalue.status == 200);
  CHECK(api.value_of("k2") == "moved");
  const auto remove = [&](const std::string& data) {
    return api.call("POST", "/ovo/keystorage/k2/deletevalueifequal",
                    R"({"Key":"k2","Data":)" + byte_array(data) + R"(,"Hash":0})");
  };
  CHECK(remove("other").status == 403);
  CHECK(remove("moved").status == 200);
  CHECK(api.value_of("k2") == "<101>");
}

TEST_CASE(
    ".Net byte arrays with a value outside 0-255, a fraction or a string are 400/10, nothing "
    "changes") {
  api_session api("arrays", R"({"MaxValueBytes":4})");
  REQUIRE(api.put_object("k", "keep").status == 200);
  for (const char* data : {"[256]", "[-1]", "[1.0]", "[\"1\"]", "[null]", "[[1]]"}) {
    CAPTURE(data);
    auto put = api.call(
        "PUT", "/ovo/keystorage",
        std::string(R"({"Key":"k","Data":)") + data + R"(,"Collection":null,"TTL":0,"Hash":0})");
    CHECK(put.status == 400);
    CHECK(put.body == R"({"Status":"error","Code":"10","Data":null})");
    CHECK(put.header("X-Ovo-Error") == "Data must be base64 text or an array of integers 0-255");
    auto update =
        api.call("PUT", "/ovo/keystorage/k/updatevalueifequal",
                 std::string(R"({"Key":"k","Data":[107,101,101,112],"NewData":)") + data + "}");
    CHECK(update.status == 400);
  }
  auto too_long = api.call("PUT", "/ovo/keystorage", R"({"Key":"k","Data":[1,2,3,4,5]})");
  CHECK(too_long.status == 413);
  CHECK(too_long.body == R"({"Status":"error","Code":"11","Data":null})");
  CHECK(api.value_of("k") == "keep");
}

TEST_CASE(".Net Get of a missing key and GetCounter after DeleteCounter answer Data null") {
  api_session api;
  auto missing = api.call("GET", "/ovo/keystorage/absent");
  CHECK(missing.status == 404);
  CHECK(missing.body == R"({"Status":"error","Code":"101","Data":null})");
  REQUIRE(api.call("POST", "/ovo/counters", R"({"Key":"c","Value":5,"TTL":0,"Hash":0})").status ==
          200);
  CHECK(api.call("DELETE", "/ovo/counters/c").status == 200);
  auto counter = api.call("GET", "/ovo/counters/c");
  CHECK(counter.status == 404);
  CHECK(counter.body == R"({"Status":"error","Code":"101","Data":null})");
}

TEST_CASE(
    ".Net's UTF-16 hash sends a non-BMP key to the wrong node: it is stored on its owner and found "
    "through every node") {
  // "\U0001D11Ex": slot 108 by the protocol's code-point hash, 16 by the .Net client's hash of
  // UTF-16 units; with two nodes the halves 0-63 and 64-127 have different owners.
  const std::string key = "\xf0\x9d\x84\x9ex";
  REQUIRE(ovo::slot_of(key) == 108);
  test_cluster c(2);
  REQUIRE(c.converged({0, 1}, 2));
  const auto view = c.view(0);
  auto owner_of = [&](int slot) {
    for (int i = 0; i < 2; ++i)
      for (const auto& s : view.at(test_cluster::name(i)).second)
        if (s == slot) return i;
    return -1;
  };
  const int dotnet_target = owner_of(16);
  REQUIRE(owner_of(108) != dotnet_target);
  CHECK(c.call(dotnet_target, "POST", "/ovo/keystorage",
               R"({"Key":")" + key + R"(","Data":[104,105],"TTL":0,"Hash":16})")
            .status == 200);
  for (int i = 0; i < 2; ++i) CHECK(c.value_of(i, key) == "hi");
  const auto holders = c.placement({0, 1})[key];
  CHECK(holders.count(test_cluster::name(owner_of(108))) == 1);
}

TEST_CASE(
    "topology as the clients read it: numbers, arrays never null, every slot once, the answering "
    "node first") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  auto check_topology = [&](int through, std::size_t expected_nodes) {
    CAPTURE(through);
    const auto answer = c.call(through, "GET", "/ovo/cluster");
    const auto envelope = answer.envelope();
    CHECK(envelope["Status"] == "done");
    CHECK(envelope["Code"] == "0");
    const auto nodes = envelope["Data"]["Nodes"];
    REQUIRE(nodes.size() == expected_nodes);
    CHECK(nodes[0]["Name"] == test_cluster::name(through));  // .Net refreshes through the first
    CHECK(nodes[0]["State"] == "ACTIVE");
    std::multiset<int> slots;
    for (const auto& node : nodes) {
      CHECK(node["Name"].is_string());
      CHECK(node["Host"] == "127.0.0.1");
      CHECK(node["Port"].is_number_integer());  // a string makes the Go client panic
      CHECK(node["State"].is_string());
      REQUIRE(node["HashRange"].is_array());  // null breaks the .Net client
      CHECK(node["Twins"].is_array());
      // Clients ignore State: only a serving node may list slots.
      if (node["State"] != "ACTIVE") CHECK(node["HashRange"].empty());
      for (const auto& slot : node["HashRange"]) slots.insert(slot.get<int>());
    }
    CHECK(slots.size() == 128);
    CHECK(std::set<int>(slots.begin(), slots.end()).size() == 128);
  };
  for (int i = 0; i < 3; ++i) check_topology(i, 3);
  c.nodes[2]->stop(SIGKILL, std::chrono::seconds(5));
  // Once the survivors serve node2's slots, node2 is listed with none.
  bool settled = false;
  for (int attempt = 0; attempt < 100 && !settled; ++attempt) {
    settled = c.view(0).at(test_cluster::name(2)).second.empty() &&
              c.view(1).at(test_cluster::name(2)).second.empty();
    if (!settled) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(settled);
  for (int i = 0; i < 2; ++i) check_topology(i, 3);
}
