// Every endpoint and every error row of docs/protocol.md against the real node over HTTP.

#include "test/integration/api_session.hpp"

#include <doctest/doctest.h>

#include <thread>

using namespace ovo::test;
using json = nlohmann::json;

TEST_CASE("objects: PUT and POST store, GET reads, DELETE removes") {
  api_session api;
  auto put = api.put_object("alpha", std::string("bin\0ary\xff", 8));
  CHECK(put.status == 200);
  CHECK(put.body == R"({"Status":"done","Code":"0","Data":null})");
  CHECK(put.has_header("Content-Type: application/json; charset=utf-8"));
  auto post = api.call("POST", "/ovo/keystorage", R"({"Key":"beta","Data":"dmFsdWU="})");
  CHECK(post.status == 200);
  auto read = api.call("GET", "/ovo/keystorage/beta");
  CHECK(read.status == 200);
  CHECK(read.body == R"({"Status":"done","Code":"0","Data":{"Key":"beta","Data":"dmFsdWU="}})");
  CHECK(api.value_of("alpha") == std::string("bin\0ary\xff", 8));
  CHECK(api.key_count() == 2);
  auto keys = api.call("GET", "/ovo/keys").envelope()["Data"]["Keys"];
  CHECK(keys.size() == 2);
  CHECK(api.call("DELETE", "/ovo/keystorage/alpha").status == 200);
  CHECK(api.call("DELETE", "/ovo/keystorage/alpha").status == 200);  // already gone: still 200
  auto missing = api.call("GET", "/ovo/keystorage/alpha");
  CHECK(missing.status == 404);
  CHECK(missing.code() == "101");
  CHECK(api.key_count() == 1);
}

TEST_CASE("path keys are percent-decoded UTF-8") {
  api_session api;
  const std::string key = "user/1 \xc3\xbc\xe6\x97\xa5?&#";
  CHECK(api.put_object(key, "v").status == 200);
  CHECK(api.value_of(key) == "v");
  CHECK(api.call("GET", "/ovo/keystorage/%ff").code() == "10");
  CHECK(api.call("GET", "/ovo/keystorage/%zz").code() == "10");
}

TEST_CASE("getandremove returns the object once") {
  api_session api;
  api.put_object("k", "v");
  auto first = api.call("GET", "/ovo/keystorage/k/getandremove");
  CHECK(first.status == 200);
  CHECK(first.envelope()["Data"]["Data"] == "dg==");
  auto second = api.call("GET", "/ovo/keystorage/k/getandremove");
  CHECK(second.status == 404);
  CHECK(second.code() == "101");
}

TEST_CASE("updatevalueifequal: 200 on a match, 403/103 otherwise, POST and PUT") {
  api_session api;
  api.put_object("k", "old");
  auto body = [](const char* data, const char* new_data) {
    return json{{"Key", "k"}, {"Data", to_base64(data)}, {"NewData", to_base64(new_data)}}.dump();
  };
  auto mismatch = api.call("POST", "/ovo/keystorage/k/updatevalueifequal", body("nope", "x"));
  CHECK(mismatch.status == 403);
  CHECK(mismatch.code() == "103");
  CHECK(api.value_of("k") == "old");
  CHECK(api.call("POST", "/ovo/keystorage/k/updatevalueifequal", body("old", "new")).status == 200);
  CHECK(api.call("PUT", "/ovo/keystorage/k/updatevalueifequal", body("new", "newer")).status ==
        200);
  CHECK(api.value_of("k") == "newer");
  auto missing = api.call("PUT", "/ovo/keystorage/zz/updatevalueifequal",
                          R"({"Key":"zz","Data":"","NewData":""})");
  CHECK(missing.code() == "103");
}

TEST_CASE("updatekeyvalueifequal: moves with the new value, 403/104 otherwise") {
  api_session api;
  api.put_object("a", "v1");
  auto body = [](const char* data) {
    return json{
        {"Key", "a"}, {"NewKey", "b"}, {"Data", to_base64(data)}, {"NewData", to_base64("v2")},
        {"Hash", 1},  {"NewHash", 2}}
        .dump();
  };
  auto mismatch = api.call("PUT", "/ovo/keystorage/a/updatekeyvalueifequal", body("wrong"));
  CHECK(mismatch.status == 403);
  CHECK(mismatch.code() == "104");
  CHECK(api.call("POST", "/ovo/keystorage/a/updatekeyvalueifequal", body("v1")).status == 200);
  CHECK(api.value_of("a") == "<101>");
  CHECK(api.value_of("b") == "v2");
  CHECK(api.call("POST", "/ovo/keystorage/a/updatekeyvalueifequal", body("v1")).code() == "104");
}

TEST_CASE("updatekey: moves the object, 403/105 when the source is missing") {
  api_session api;
  api.put_object("from", "payload");
  auto moved =
      api.call("POST", "/ovo/keystorage/from/updatekey", R"({"Key":"from","NewKey":"to"})");
  CHECK(moved.status == 200);
  CHECK(api.value_of("to") == "payload");
  CHECK(api.value_of("from") == "<101>");
  auto missing = api.call("PUT", "/ovo/keystorage/from/updatekey", R"({"NewKey":"x"})");
  CHECK(missing.status == 403);
  CHECK(missing.code() == "105");
  CHECK(api.call("PUT", "/ovo/keystorage/to/updatekey", R"({"Key":"to"})").code() == "10");
}

TEST_CASE("deletevalueifequal: 403/103 on mismatch, deletes on match, 200 when missing") {
  api_session api;
  api.put_object("k", "v");
  auto mismatch = api.call("POST", "/ovo/keystorage/k/deletevalueifequal",
                           json{{"Key", "k"}, {"Data", to_base64("x")}}.dump());
  CHECK(mismatch.status == 403);
  CHECK(mismatch.code() == "103");
  const auto match = json{{"Key", "k"}, {"Data", to_base64("v")}}.dump();
  CHECK(api.call("POST", "/ovo/keystorage/k/deletevalueifequal", match).status == 200);
  CHECK(api.value_of("k") == "<101>");
  CHECK(api.call("POST", "/ovo/keystorage/k/deletevalueifequal", match).status == 200);
}

TEST_CASE("counters: POST sets, PUT adds atomically, GET reads, DELETE removes") {
  api_session api;
  auto set = api.call("POST", "/ovo/counters", R"({"Key":"c","Value":10,"Hash":5})");
  CHECK(set.body == R"({"Status":"done","Code":"0","Data":{"Key":"c","Value":10}})");
  CHECK(
      api.call("PUT", "/ovo/counters", R"({"Key":"c","Value":-15})").envelope()["Data"]["Value"] ==
      -5);
  CHECK(api.call("PUT", "/ovo/counters", R"({"Key":"fresh","Value":3})")
            .envelope()["Data"]["Value"] == 3);
  CHECK(api.call("GET", "/ovo/counters/c").envelope()["Data"]["Value"] == -5);
  CHECK(api.call("DELETE", "/ovo/counters/c").status == 200);
  auto missing = api.call("GET", "/ovo/counters/c");
  CHECK(missing.status == 404);
  CHECK(missing.code() == "101");
  CHECK(api.key_count() == 0);  // counters are not objects
}

TEST_CASE("counter overflow is 400/10 and leaves the counter as it was") {
  api_session api;
  api.call("POST", "/ovo/counters", R"({"Key":"big","Value":9223372036854775807})");
  auto overflow = api.call("PUT", "/ovo/counters", R"({"Key":"big","Value":1})");
  CHECK(overflow.status == 400);
  CHECK(overflow.code() == "10");
  CHECK(api.call("GET", "/ovo/counters/big").envelope()["Data"]["Value"] == 9223372036854775807LL);
  CHECK(api.call("POST", "/ovo/counters", R"({"Key":"f","Value":1.5})").code() == "10");
}

TEST_CASE("cluster: a lone node lists itself with all 128 slots") {
  api_session api("solo", "{}");
  auto me = api.call("GET", "/ovo/cluster/me").envelope()["Data"];
  CHECK(me["Name"] == "solo");
  CHECK(me["Host"] == "127.0.0.1");
  CHECK(me["Port"] == api.node.port());
  CHECK(me["State"] == "ACTIVE");
  CHECK(me["HashRange"].size() == 128);
  CHECK(me["Twins"].is_array());
  auto all = api.call("GET", "/ovo/cluster").envelope()["Data"]["Nodes"];
  REQUIRE(all.size() == 1);
  CHECK(all[0] == me);
}

TEST_CASE("unknown paths are 404/12, wrong methods 405/13 with Allow") {
  api_session api;
  auto unknown = api.call("GET", "/nothing/here");
  CHECK(unknown.status == 404);
  CHECK(unknown.code() == "12");
  CHECK(api.call("GET", "/ovo/keystorage/k/explode").code() == "12");
  auto wrong = api.call("DELETE", "/ovo/keystorage");
  CHECK(wrong.status == 405);
  CHECK(wrong.code() == "13");
  CHECK(wrong.has_header("Allow: GET, POST, PUT"));
  CHECK(api.call("PATCH", "/ovo/counters/c").has_header("Allow: GET, DELETE"));
  CHECK(api.call("GET", "/ovo/keystorage/k/deletevalueifequal").has_header("Allow: POST"));
}

TEST_CASE("empty keys are 400/10, oversized keys and values 413/11") {
  api_session api("limits", R"({"MaxKeyBytes":16,"MaxValueBytes":64,"MaxBodyBytes":2048})");
  CHECK(api.call("PUT", "/ovo/keystorage", R"({"Key":"","Data":"AA=="})").code() == "10");
  CHECK(api.call("PUT", "/ovo/keystorage", R"({"Data":"AA=="})").code() == "10");
  CHECK(api.call("POST", "/ovo/counters", R"({"Value":1})").code() == "10");
  auto long_key = api.put_object(std::string(17, 'k'), "v");
  CHECK(long_key.status == 413);
  CHECK(long_key.code() == "11");
  CHECK(api.call("GET", "/ovo/keystorage/" + std::string(17, 'k')).code() == "11");
  CHECK(api.put_object("k", std::string(65, 'v')).code() == "11");
  CHECK(api.put_object("k", std::string(64, 'v')).status == 200);
  auto big_body =
      api.call("PUT", "/ovo/keystorage", R"({"Key":"k","Pad":")" + std::string(3000, 'x') + "\"}");
  CHECK(big_body.status == 413);
  CHECK(big_body.code() == "11");
  CHECK(api.value_of("k") == std::string(64, 'v'));
}

TEST_CASE("TTL: readable before, gone after, and swept from the count") {
  api_session api("ttl", R"({"ExpirySweepMs":50})");
  CHECK(api.put_object("short", "v", 1).status == 200);
  CHECK(api.put_object("long", "v", 600).status == 200);
  api.call("POST", "/ovo/counters", R"({"Key":"tick","Value":1,"TTL":1})");
  CHECK(api.value_of("short") == "v");
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  CHECK(api.key_count() == 1);  // the sweep removed it without any read
  CHECK(api.value_of("short") == "<101>");
  CHECK(api.value_of("long") == "v");
  CHECK(api.call("GET", "/ovo/counters/tick").code() == "101");
}

TEST_CASE("a value update keeps the TTL deadline, a key move too") {
  api_session api("ttl2", R"({"ExpirySweepMs":50})");
  api.put_object("k", "v", 1);
  api.call("PUT", "/ovo/keystorage/k/updatevalueifequal",
           json{{"Data", to_base64("v")}, {"NewData", to_base64("w")}}.dump());
  api.put_object("m", "v", 1);
  api.call("PUT", "/ovo/keystorage/m/updatekey", R"({"NewKey":"moved"})");
  CHECK(api.value_of("k") == "w");
  CHECK(api.value_of("moved") == "v");
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  CHECK(api.value_of("k") == "<101>");
  CHECK(api.value_of("moved") == "<101>");
}

TEST_CASE("keep-alive works for HTTP/1.1 clients that send no Connection header") {
  api_session api;
  // libcurl sends no Connection header on HTTP/1.1.
  api.call("GET", "/ovo/keystorage");
  for (int i = 0; i < 20; ++i) {
    auto response = api.call("GET", "/ovo/keystorage/missing");
    CHECK(response.status == 404);
    CHECK(api.client.new_connections() == 0);
  }
  // One raw socket, two requests in turn, neither with a Connection header: both answered.
  raw_connection socket(api.node.port());
  const std::string request = "GET /ovo/keystorage HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int i = 0; i < 2; ++i) {
    REQUIRE(socket.send_all(request));
    auto answer = socket.receive(std::chrono::milliseconds(2000), 100);
    CHECK(answer.received.find("HTTP/1.1 200") == 0);
    CHECK(answer.received.find("Connection: Keep-Alive") != std::string::npos);
    CHECK_FALSE(answer.closed_by_server);
  }
  // A client asking to close is told the connection closes (Pistache leaves the close to it).
  auto closing = raw_exchange(
      api.node.port(), "GET /ovo/keystorage HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      std::chrono::milliseconds(300));
  CHECK(closing.received.find("HTTP/1.1 200") == 0);
  CHECK(closing.received.find("Connection: Close") != std::string::npos);
}
