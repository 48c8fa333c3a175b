// The requests the Go client (maxzerbini/ovoclient) puts on the wire, verbatim as captured
// from it, and what it needs back: Status and Code as JSON strings, 200/403/404, typed non-null
// Data on every 200 that carries a value (docs/protocol.md, "Clients checked").

#include "test/integration/api_session.hpp"

#include <doctest/doctest.h>

using namespace ovo::test;

TEST_CASE("Go Put, Get, GetAndRemove, Delete with base64 Data and an empty Collection") {
  api_session api;
  auto put = api.call("POST", "/ovo/keystorage",
                      R"({"Key":"k","Data":"ImhlbGxvIg==","Collection":"","TTL":0,"Hash":71})");
  CHECK(put.status == 200);
  CHECK(put.body == R"({"Status":"done","Code":"0","Data":null})");
  auto get = api.call("GET", "/ovo/keystorage/k");
  CHECK(get.status == 200);
  CHECK(get.body == R"({"Status":"done","Code":"0","Data":{"Key":"k","Data":"ImhlbGxvIg=="}})");
  CHECK(api.call("GET", "/ovo/keystorage").body == R"({"Status":"done","Code":"0","Data":1})");
  CHECK(api.call("GET", "/ovo/keys").body ==
        R"({"Status":"done","Code":"0","Data":{"Keys":["k"]}})");
  auto taken = api.call("GET", "/ovo/keystorage/k/getandremove");
  CHECK(taken.body == R"({"Status":"done","Code":"0","Data":{"Key":"k","Data":"ImhlbGxvIg=="}})");
  CHECK(api.call("GET", "/ovo/keys").body == R"({"Status":"done","Code":"0","Data":{"Keys":[]}})");
  CHECK(api.call("DELETE", "/ovo/keystorage/k").body ==
        R"({"Status":"done","Code":"0","Data":null})");
}

TEST_CASE(
    "Go UpdateValueIfEqual sends NewKey \"\" and NewHash 0: the value changes, the key stays") {
  api_session api;
  REQUIRE(api.call("POST", "/ovo/keystorage",
                   R"({"Key":"k","Data":"ImhlbGxvIg==","Collection":"","TTL":0,"Hash":71})")
              .status == 200);
  const std::string update =
      R"({"Key":"k","NewKey":"","Data":"ImhlbGxvIg==","NewData":"IndvcmxkIg==","Hash":71,"NewHash":0})";
  auto first = api.call("POST", "/ovo/keystorage/k/updatevalueifequal", update);
  CHECK(first.status == 200);
  CHECK(api.value_of("k") == "\"world\"");
  auto again = api.call("POST", "/ovo/keystorage/k/updatevalueifequal", update);
  CHECK(again.status == 403);  // Go maps 403 to "not equal"
  CHECK(again.body == R"({"Status":"error","Code":"103","Data":null})");
}

TEST_CASE(
    "Go DeleteValueIfEqual with Collection and TTL fields: 403 on mismatch, 200 on match and when "
    "missing") {
  api_session api;
  REQUIRE(api.call("POST", "/ovo/keystorage",
                   R"({"Key":"k","Data":"IndvcmxkIg==","Collection":"","TTL":0,"Hash":71})")
              .status == 200);
  auto body = [](const char* data) {
    return std::string(R"({"Key":"k","Data":")") + data + R"(","Collection":"","TTL":0,"Hash":71})";
  };
  CHECK(api.call("POST", "/ovo/keystorage/k/deletevalueifequal", body("ImhlbGxvIg==")).status ==
        403);
  CHECK(api.call("POST", "/ovo/keystorage/k/deletevalueifequal", body("IndvcmxkIg==")).status ==
        200);
  CHECK(api.value_of("k") == "<101>");
  CHECK(api.call("POST", "/ovo/keystorage/k/deletevalueifequal", body("IndvcmxkIg==")).status ==
        200);
}

TEST_CASE("Go counters: SetCounter, Increment with a TTL, GetCounter, DeleteCounter, then 404") {
  api_session api;
  auto set = api.call("POST", "/ovo/counters", R"({"Key":"k","Value":5,"TTL":0,"Hash":71})");
  CHECK(set.body == R"({"Status":"done","Code":"0","Data":{"Key":"k","Value":5}})");
  auto add = api.call("PUT", "/ovo/counters", R"({"Key":"k","Value":-2,"TTL":30,"Hash":71})");
  CHECK(add.body == R"({"Status":"done","Code":"0","Data":{"Key":"k","Value":3}})");
  CHECK(api.call("GET", "/ovo/counters/k").body ==
        R"({"Status":"done","Code":"0","Data":{"Key":"k","Value":3}})");
  CHECK(api.call("DELETE", "/ovo/counters/k").status == 200);
  auto missing = api.call("GET", "/ovo/counters/k");
  CHECK(missing.status == 404);
  CHECK(missing.body == R"({"Status":"error","Code":"101","Data":null})");
}

TEST_CASE("Go's escaped <, >, & and U+2028 in a key decode to those characters") {
  api_session api;
  auto put = api.call(
      "POST", "/ovo/keystorage",
      R"({"Key":"\u00e9\"\u003c\u003e\u0026\u2028","Data":"AP8=","Collection":"","TTL":0,"Hash":53})");
  CHECK(put.status == 200);
  CHECK(api.value_of("\xc3\xa9\"<>&\xe2\x80\xa8") == std::string("\0\xff", 2));
}

TEST_CASE("Data null, \"\" and [] each store an empty value that reads back as \"\"") {
  api_session api;
  for (const char* data : {"null", "\"\"", "[]"}) {
    CAPTURE(data);
    REQUIRE(api.call("POST", "/ovo/keystorage",
                     std::string(R"({"Key":"k","Data":)") + data + R"(,"TTL":0,"Hash":71})")
                .status == 200);
    CHECK(api.call("GET", "/ovo/keystorage/k").body ==
          R"({"Status":"done","Code":"0","Data":{"Key":"k","Data":""}})");
  }
}

TEST_CASE(
    "path keys as the clients send them, unescaped: + stays, / splits, an empty key is a JSON "
    "error") {
  api_session api;
  REQUIRE(api.put_object("a+b", "plus").status == 200);
  REQUIRE(api.put_object("a b", "space").status == 200);
  REQUIRE(api.put_object("a/b", "slash").status == 200);
  REQUIRE(api.put_object("\xe6\x97\xa5\xe6\x9c\xac", "nihon").status == 200);
  CHECK(api.value_of("a+b") == "plus");
  CHECK(api.call("GET", "/ovo/keystorage/a+b").envelope()["Data"]["Key"] == "a+b");
  CHECK(api.call("GET", "/ovo/keystorage/a%20b").envelope()["Data"]["Key"] == "a b");
  CHECK(api.call("GET", "/ovo/keystorage/%E6%97%A5%E6%9C%AC").envelope()["Data"]["Key"] ==
        "\xe6\x97\xa5\xe6\x9c\xac");
  // Neither client escapes '/': the key becomes two segments, an unknown path with a JSON body.
  auto split = api.call("GET", "/ovo/keystorage/a/b");
  CHECK(split.status == 404);
  CHECK(split.body == R"({"Status":"error","Code":"12","Data":null})");
  CHECK(api.call("GET", "/ovo/keystorage/a%2Fb").envelope()["Data"]["Key"] == "a/b");
  // The key "" of a client: a JSON answer, never a redirect or a count.
  auto empty = api.call("GET", "/ovo/keystorage/");
  CHECK(empty.status >= 400);
  CHECK(empty.envelope()["Status"] == "error");
  CHECK(empty.envelope()["Data"].is_null());
}

TEST_CASE(
    "a raw control byte inside a JSON string (as .Net writes it) is 400/10 with an envelope") {
  api_session api;
  auto put = api.call("POST", "/ovo/keystorage",
                      std::string("{\"Key\":\"a\x01"
                                  "b\",\"Data\":[0,255],\"TTL\":0,\"Hash\":1}"));
  CHECK(put.status == 400);
  CHECK(put.body == R"({"Status":"error","Code":"10","Data":null})");
  CHECK(api.key_count() == 0);
}

TEST_CASE("counters span the whole int64 range and refuse to wrap, as .Net sends long.MinValue") {
  api_session api;
  auto set = api.call("POST", "/ovo/counters",
                      R"({"Key":"k","Value":-9223372036854775808,"TTL":0,"Hash":71})");
  CHECK(set.body ==
        R"({"Status":"done","Code":"0","Data":{"Key":"k","Value":-9223372036854775808}})");
  auto wrap = api.call("PUT", "/ovo/counters", R"({"Key":"k","Value":-1,"TTL":0,"Hash":71})");
  CHECK(wrap.status == 400);
  CHECK(wrap.body == R"({"Status":"error","Code":"10","Data":null})");
}
