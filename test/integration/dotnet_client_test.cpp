// The requests the .Net client (maxzerbini/ovodotnet: RestSharp 105 + Newtonsoft.Json) puts on
// the wire, byte for byte, and what it needs back: byte[] values as JSON arrays of numbers,
// null for absent strings, "Data":null on every error (docs/protocol.md, "Clients checked").

#include <doctest/doctest.h>

#include "api_session.hpp"

using namespace ovo::test;

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
  auto put = api.call("PUT", "/ovo/keystorage",
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
  CHECK(api.call("PUT", "/ovo/keystorage", R"({"Key":"empty","Data":[],"Collection":null,"TTL":0,"Hash":0})")
            .status == 200);
  CHECK(api.value_of("empty").empty());
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
  auto keyvalue = api.call("PUT", "/ovo/keystorage/k/updatekeyvalueifequal",
                           R"({"Key":"k","NewKey":"k2","Data":)" + byte_array("world") +
                               R"(,"NewData":)" + byte_array("moved") + R"(,"Hash":0,"NewHash":0})");
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

TEST_CASE(".Net byte arrays with a value outside 0-255, a fraction or a string are 400/10, nothing changes") {
  api_session api("arrays", R"({"MaxValueBytes":4})");
  REQUIRE(api.put_object("k", "keep").status == 200);
  for (const char* data : {"[256]", "[-1]", "[1.0]", "[\"1\"]", "[null]", "[[1]]"}) {
    CAPTURE(data);
    auto put = api.call("PUT", "/ovo/keystorage",
                        std::string(R"({"Key":"k","Data":)") + data + R"(,"Collection":null,"TTL":0,"Hash":0})");
    CHECK(put.status == 400);
    CHECK(put.body == R"({"Status":"error","Code":"10","Data":null})");
    CHECK(put.header("X-Ovo-Error") == "Data must be base64 text or an array of integers 0-255");
    auto update = api.call("PUT", "/ovo/keystorage/k/updatevalueifequal",
                           std::string(R"({"Key":"k","Data":[107,101,101,112],"NewData":)") + data +
                               "}");
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
