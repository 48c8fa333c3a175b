#include "rest/envelope.hpp"
#include "rest/error_header.hpp"
#include "rest/request_decoder.hpp"
#include "rest/routes.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <variant>

namespace {

using ovo::endpoint;
using ovo::status;

const ovo::request_limits limits{64, 32};

/// The status a body gets on `target`, or ok with the command.
ovo::status decode_status(endpoint target, const std::string& body, std::string path_key = "") {
  auto built = ovo::build_command(target, std::move(path_key), body, limits);
  if (auto* error = std::get_if<ovo::reply>(&built)) return error->code;
  return status::ok;
}

ovo::command decode(endpoint target, const std::string& body, std::string path_key = "") {
  auto built = ovo::build_command(target, std::move(path_key), body, limits);
  REQUIRE(std::holds_alternative<ovo::command>(built));
  return std::get<ovo::command>(built);
}

std::string error_message(endpoint target, const std::string& body) {
  auto built = ovo::build_command(target, "", body, limits);
  REQUIRE(std::holds_alternative<ovo::reply>(built));
  return std::get<ovo::reply>(built).message;
}

}  // namespace

TEST_CASE("a set body decodes every field, base64 Data becomes bytes") {
  auto cmd = decode(endpoint::set_object,
                    R"({"Key":"k","Data":"AP8=","Collection":"c","TTL":30,"Hash":77,"Extra":[1]})");
  CHECK(cmd.kind == ovo::op::put);
  CHECK(cmd.key == "k");
  CHECK(cmd.data == std::string("\0\xff", 2));
  CHECK(cmd.collection == "c");
  CHECK(cmd.ttl_seconds == 30);
}

TEST_CASE("Data and NewData as JSON arrays of integers 0-255 become those bytes (the .Net form)") {
  auto cmd = decode(endpoint::update_value_if_equal,
                    R"({"Key":"k","Data":[104,105],"NewData":[0,255,7],"Hash":0})");
  CHECK(cmd.data == "hi");
  CHECK(cmd.new_data == std::string("\0\xff\x07", 3));
  CHECK(decode(endpoint::set_object, R"({"Key":"k","Data":[]})").data.empty());
  auto dotnet =
      decode(endpoint::set_object,
             R"({"Key":"k","Data":[104,101,108,108,111],"Collection":null,"TTL":0,"Hash":0})");
  CHECK(dotnet.data == "hello");
  CHECK(dotnet.collection.empty());
  CHECK(dotnet.ttl_seconds == 0);
}

TEST_CASE("a byte array with anything but integers 0-255 is 400, one over the limit 413") {
  const char* bad[] = {"[256]",
                       "[-1]",
                       "[1.5]",
                       "[1e2]",
                       "[\"a\"]",
                       "[null]",
                       "[true]",
                       "[[1]]",
                       "[{}]",
                       "[18446744073709551615]",
                       "[1,-9223372036854775809]"};
  for (const char* array : bad) {
    CAPTURE(array);
    const auto body = std::string(R"({"Key":"k","Data":)") + array + "}";
    CHECK(decode_status(endpoint::set_object, body) == status::bad_request);
    CHECK(error_message(endpoint::set_object, body) ==
          "Data must be base64 text or an array of integers 0-255");
    CHECK(decode_status(endpoint::update_value_if_equal,
                        std::string(R"({"Key":"k","Data":"","NewData":)") + array + "}") ==
          status::bad_request);
  }
  auto array_of = [](int n) {
    std::string out = "[";
    for (int i = 0; i < n; ++i) out += i ? ",1" : "1";
    return out + "]";
  };
  CHECK(decode_status(endpoint::set_object, R"({"Key":"k","Data":)" + array_of(32) + "}") ==
        status::ok);
  CHECK(decode_status(endpoint::set_object, R"({"Key":"k","Data":)" + array_of(33) + "}") ==
        status::too_large);
}

TEST_CASE("null means absent, a missing Data is an empty value") {
  auto cmd =
      decode(endpoint::set_object, R"({"Key":"k","Data":null,"TTL":null,"Collection":null})");
  CHECK(cmd.data.empty());
  CHECK(cmd.ttl_seconds == 0);
}

TEST_CASE("the body Key wins over the path key, an absent one falls back") {
  CHECK(decode(endpoint::update_key, R"({"Key":"body","NewKey":"n"})", "path").key == "body");
  CHECK(decode(endpoint::update_key, R"({"NewKey":"n"})", "path").key == "path");
}

TEST_CASE("the stricter rows of docs/protocol.md answer 400") {
  CHECK(decode_status(endpoint::set_object, R"({"Data":"AA=="})") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"({"Key":""})") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, "null") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, "[1,2]") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"("text")") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, "") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"({"Key":"k")") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"({"Key":"k"} trailing)") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"({"Key":"k","TTL":-1})") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"({"Key":"k","TTL":1.5})") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"({"Key":"k","TTL":"5"})") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"({"Key":7})") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"({"Key":{"a":1}})") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"({"Key":"k","Data":"not base64"})") ==
        status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"({"Key":"k","Hash":"x"})") == status::bad_request);
  CHECK(decode_status(endpoint::counter_set, R"({"Key":"k","Value":1.0})") == status::bad_request);
  CHECK(decode_status(endpoint::counter_set, R"({"Key":"k","Value":9223372036854775808})") ==
        status::bad_request);
  CHECK(decode_status(endpoint::update_key, R"({"Key":"k"})") == status::bad_request);
}

TEST_CASE("invalid UTF-8 and lone surrogates are refused") {
  CHECK(decode_status(endpoint::set_object, "{\"Key\":\"\xff\"}") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"({"Key":"\ud800"})") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"({"Key":"\udc00"})") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"({"Key":"k","Other":"\udc00"})") ==
        status::bad_request);
  // Raw invalid bytes anywhere in a string or a name, ignored fields and nested values included.
  CHECK(decode_status(endpoint::set_object, "{\"Key\":\"k\",\"Other\":\"a\xff\"}") ==
        status::bad_request);
  CHECK(decode_status(endpoint::set_object, "{\"Key\":\"k\",\"Ot\xc3\":1}") == status::bad_request);
  CHECK(
      decode_status(endpoint::set_object, "{\"Key\":\"k\",\"Other\":[{\"x\":\"\xed\xa0\x80\"}]}") ==
      status::bad_request);
  CHECK(decode_status(endpoint::set_object, "{\"Key\":\"k\",\"Data\":\"QUFB\x80\"}") ==
        status::bad_request);
  CHECK(decode_status(endpoint::set_object, std::string("{\"Key\":\"k\"}\0{}", 14)) ==
        status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"({"Key":"k","TTL":1e400})") == status::bad_request);
  CHECK(decode_status(endpoint::set_object, R"({"Key":"\ud83d\ude00"})") == status::ok);
  CHECK(decode_status(endpoint::get_object, "", "\xc0\xaf") == status::bad_request);
}

TEST_CASE("nesting deeper than 64 is refused, 64 is fine") {
  auto nested = [](int depth) {
    std::string inner = "1";
    for (int i = 0; i < depth - 1; ++i) inner = "[" + inner + "]";
    return R"({"Key":"k","Extra":)" + inner + "}";
  };
  CHECK(decode_status(endpoint::set_object, nested(63)) == status::ok);
  CHECK(decode_status(endpoint::set_object, nested(65)) == status::bad_request);
  CHECK(decode_status(endpoint::set_object, std::string(100000, '[')) == status::bad_request);
}

TEST_CASE("keys and values over the limits answer 413") {
  CHECK(decode_status(endpoint::set_object, R"({"Key":")" + std::string(65, 'k') + "\"}") ==
        status::too_large);
  CHECK(decode_status(endpoint::get_object, "", std::string(65, 'k')) == status::too_large);
  // Values against a 32-byte limit: 33 bytes (no padding), 34 bytes (padded), 32 bytes.
  auto with_data = [](std::string b64) { return R"({"Key":"k","Data":")" + b64 + "\"}"; };
  CHECK(decode_status(endpoint::set_object, with_data(std::string(44, 'A'))) == status::too_large);
  CHECK(decode_status(endpoint::set_object, with_data(std::string(46, 'A') + "==")) ==
        status::too_large);
  CHECK(decode_status(endpoint::set_object, with_data(std::string(43, 'A') + "=")) == status::ok);
}

TEST_CASE("errors say what is wrong") {
  CHECK(error_message(endpoint::set_object, R"({"Key":"k","TTL":-1})") ==
        "TTL must not be negative");
  CHECK(error_message(endpoint::set_object, R"({"Key":5})") == "Key must be a string");
  CHECK(error_message(endpoint::set_object, R"({"Key":"k","Data":5})") ==
        "Data must be base64 text or an array of integers 0-255");
  CHECK(error_message(endpoint::set_object, R"([])") == "body must be a JSON object, not an array");
  CHECK(error_message(endpoint::set_object, "{").find("body is not valid JSON") == 0);
}

TEST_CASE("routes map methods and paths, with 404 and 405 rows") {
  using ovo::http_method;
  auto m = ovo::match_route(http_method::get, "/ovo/keystorage/a%2Fb/getandremove");
  CHECK(m.target == endpoint::get_and_remove);
  CHECK(m.raw_key == "a%2Fb");
  CHECK(ovo::match_route(http_method::put, "/ovo/keystorage").target == endpoint::set_object);
  CHECK(ovo::match_route(http_method::put, "/ovo/counters").target == endpoint::counter_add);
  CHECK(ovo::match_route(http_method::post, "/ovo/counters").target == endpoint::counter_set);
  CHECK(ovo::match_route(http_method::del, "/ovo/counters/c").target == endpoint::counter_delete);
  CHECK(ovo::match_route(http_method::get, "/ovo/cluster/me").target == endpoint::cluster_me);
  auto wrong = ovo::match_route(http_method::del, "/ovo/keystorage");
  CHECK_FALSE(wrong.target);
  CHECK(wrong.allowed == "GET, POST, PUT");
  auto unknown = ovo::match_route(http_method::get, "/ovo/nothing");
  CHECK_FALSE(unknown.target);
  CHECK(unknown.allowed.empty());
  CHECK(ovo::match_route(http_method::get, "/ovo/keystorage/k/nonsense").allowed.empty());
}

TEST_CASE("envelopes match the protocol byte for byte") {
  CHECK(ovo::encode_envelope(ovo::done()) == R"({"Status":"done","Code":"0","Data":null})");
  ovo::reply object;
  object.kind = ovo::payload::object;
  object.key = "k\"1";
  object.data = "hi";
  CHECK(ovo::encode_envelope(object) ==
        R"({"Status":"done","Code":"0","Data":{"Key":"k\"1","Data":"aGk="}})");
  ovo::reply counter;
  counter.kind = ovo::payload::counter;
  counter.key = "c";
  counter.number = -5;
  CHECK(ovo::encode_envelope(counter) ==
        R"({"Status":"done","Code":"0","Data":{"Key":"c","Value":-5}})");
  counter.number = std::numeric_limits<int64_t>::min();
  CHECK(ovo::encode_envelope(counter) ==
        R"({"Status":"done","Code":"0","Data":{"Key":"c","Value":-9223372036854775808}})");
  ovo::reply count;
  count.kind = ovo::payload::number;
  count.number = std::numeric_limits<int64_t>::max();
  CHECK(ovo::encode_envelope(count) ==
        R"({"Status":"done","Code":"0","Data":9223372036854775807})");
  CHECK(ovo::encode_envelope(ovo::failure(status::not_found, "key not found")) ==
        R"({"Status":"error","Code":"101","Data":null})");
  ovo::reply listing;
  listing.kind = ovo::payload::keys;
  for (const char* key : {"plain", "q\"\\x\t", "", "\xc3\xbc"}) listing.keys.push_back(key);
  CHECK(ovo::encode_envelope(listing) ==
        R"({"Status":"done","Code":"0","Data":{"Keys":["plain","q\"\\x\u0009","",")"
        "\xc3\xbc\"]}}");
  std::string control;
  ovo::append_json_string(control, "a\nb\x01");
  CHECK(control == R"("a\u000ab\u0001")");
  std::string mixed;
  ovo::append_json_string(mixed, "ok \xc3\xbc bad \xff\xc3");
  CHECK(mixed == "\"ok \xc3\xbc bad \xef\xbf\xbd\xef\xbf\xbd\"");  // U+FFFD twice
}

TEST_CASE("the X-Ovo-Error reason is one line of printable ASCII, bounded in length") {
  CHECK(ovo::error_header_text("key not found") == "key not found");
  CHECK(ovo::error_header_text("a\r\nSet-Cookie: x") == "a\\x0d\\x0aSet-Cookie: x");
  CHECK(ovo::error_header_text("back\\slash \xff\x7f") == "back\\x5cslash \\xff\\x7f");
  const std::string exact(ovo::max_error_header_bytes, 'a');
  CHECK(ovo::error_header_text(exact) == exact);
  const auto cut = ovo::error_header_text(exact + "b");
  CHECK(cut.size() == ovo::max_error_header_bytes);
  CHECK(cut == std::string(ovo::max_error_header_bytes - 3, 'a') + "...");
  // An escape is never cut in half.
  const auto escapes = ovo::error_header_text(std::string(1000, '\n'));
  CHECK(escapes.size() <= ovo::max_error_header_bytes);
  CHECK(escapes.substr(escapes.size() - 7) == "\\x0a...");
}
