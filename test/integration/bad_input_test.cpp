// Hostile and broken input: each gets a clear error (or a closed/ignored socket where no reply
// is possible), nothing stored changes, and the node keeps serving.

#include "test/integration/api_session.hpp"

#include <doctest/doctest.h>

#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;

namespace {

/// Stores one known object, so each test can prove nothing changed.
void seed(api_session& api) { REQUIRE(api.put_object("seed", "original").status == 200); }

void check_unchanged(api_session& api) {
  CHECK(api.value_of("seed") == "original");
  CHECK(api.key_count() == 1);
}

std::string put_request(const std::string& body, const std::string& extra_headers = "") {
  return "PUT /ovo/keystorage HTTP/1.1\r\nHost: x\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

}  // namespace

TEST_CASE("bodies that are not a JSON object with the right types are 400/10") {
  api_session api;
  seed(api);
  const std::vector<std::string> bad_bodies = {
      "not json",
      "{\"Key\":\"seed\",",    // truncated JSON
      "[{\"Key\":\"seed\"}]",  // array
      "\"seed\"",              // string
      "null",
      "{\"Key\":\"seed\",\"Data\":12}",                   // wrong type
      "{\"Key\":\"seed\",\"Data\":\"%%%\"}",              // bad base64
      "{\"Key\":\"seed\",\"Data\":\"AAA\"}",              // bad base64 length
      "{\"Key\":\"seed\",\"TTL\":-5,\"Data\":\"AA==\"}",  // negative TTL
      "{\"Key\":\"seed\",\"TTL\":\"1\",\"Data\":\"AA==\"}",
      "{\"Key\":\"\\ud800\",\"Data\":\"AA==\"}",  // lone surrogate
      std::string("{\"Key\":\"se\xff"
                  "ed\",\"Data\":\"AA==\"}"),         // invalid UTF-8
      std::string(200, '[') + std::string(200, ']'),  // too deep
  };
  for (const auto& body : bad_bodies) {
    CAPTURE(body);
    auto response = api.call("PUT", "/ovo/keystorage", body);
    CHECK(response.status == 400);
    CHECK(response.code() == "10");
    CHECK(response.envelope()["Status"] == "error");
    CHECK(response.envelope()["Data"].is_null());
    CHECK_FALSE(response.header("X-Ovo-Error").empty());  // says what is wrong
  }
  check_unchanged(api);
}

TEST_CASE("a 100 MiB body is refused with 413 as soon as its length is known") {
  api_session api;
  seed(api);
  raw_connection connection(api.node.port());
  REQUIRE(connection.send_all(
      "PUT /ovo/keystorage HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n"));
  // Keep sending (bounded: at most the 100 MiB) while the answer arrives; the node must neither
  // buffer it all nor burn CPU re-parsing it.
  const std::string chunk(1 << 20, 'x');
  for (int i = 0; i < 100 && connection.send_all(chunk); ++i) {
    // nop: the node discards what follows a refusal
  }
  auto answer = connection.receive(2s, 200);
  CHECK(answer.received.find("HTTP/1.1 413") == 0);
  CHECK(answer.received.find("\"Code\":\"11\"") != std::string::npos);
  CHECK(answer.received.find("Connection: Close") != std::string::npos);
  check_unchanged(api);
}

TEST_CASE("an endless request head is cut off with 400") {
  api_session api;
  seed(api);
  auto answer = raw_exchange(api.node.port(), "GET /" + std::string(200'000, 'a'), 2s);
  CHECK(answer.received.find("HTTP/1.1 400") == 0);
  check_unchanged(api);
}

TEST_CASE("malformed HTTP gets an envelope error") {
  api_session api;
  seed(api);
  auto version = raw_exchange(api.node.port(), "GET / HTTP/7.0\r\n\r\n", 500ms);
  CHECK(version.received.find("HTTP/1.1 400") == 0);
  CHECK(version.received.find("\"Code\":\"10\"") != std::string::npos);
  auto method = raw_exchange(api.node.port(), "BREW /ovo/keys HTTP/1.1\r\n\r\n", 500ms);
  CHECK(method.received.find("HTTP/1.1 400") == 0);
  check_unchanged(api);
}

TEST_CASE("a truncated request and a client that disconnects mid-request change nothing") {
  api_session api;
  seed(api);
  const auto full = put_request(R"({"Key":"seed","Data":"Y2hhbmdlZA=="})");
  // Disconnect after half of the request.
  raw_exchange(api.node.port(), full.substr(0, full.size() / 2), 50ms);
  // Stay connected with a body that never completes, while other clients are served.
  raw_connection stalled(api.node.port());
  REQUIRE(stalled.send_all(full.substr(0, full.size() - 5)));
  check_unchanged(api);
  CHECK(stalled.receive(200ms).received.empty());  // no answer to half a request
}

TEST_CASE("10,000 connections opened and dropped leave the node serving") {
  api_session api;
  seed(api);
  const auto deadline = std::chrono::steady_clock::now() + 60s;  // bound the loop in time too
  int opened = 0;
  for (; opened < 10'000 && std::chrono::steady_clock::now() < deadline; ++opened) {
    raw_connection connection(api.node.port());
    REQUIRE(connection.connected());
    if (opened % 3 == 1) connection.send_all("GET /ovo/keys");  // some drop mid-request
  }
  CHECK(opened == 10'000);
  std::this_thread::sleep_for(200ms);
  check_unchanged(api);
  CHECK(api.node.running());
}

TEST_CASE("a client that disconnects before the answer does not disturb the node") {
  api_session api;
  seed(api);
  for (int i = 0; i < 200; ++i)
    raw_exchange(api.node.port(), "GET /ovo/keys HTTP/1.1\r\nHost: x\r\n\r\n", 0ms);
  check_unchanged(api);
}
