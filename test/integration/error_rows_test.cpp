// Every error row of docs/protocol.md, answered by a real node: the row's HTTP status and Code,
// "Data":null exactly as the original server answers, and the reason in X-Ovo-Error.

#include "test/integration/api_session.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <future>

using namespace ovo::test;
using json = nlohmann::json;

namespace {

/// One error answer checked against its row of the table.
void check_row(const http_response& response, long http, const std::string& code) {
  CHECK(response.status == http);
  const auto envelope = response.envelope();
  REQUIRE(envelope.is_object());
  CHECK(envelope.size() == 3);
  CHECK(envelope["Status"] == "error");
  CHECK(envelope["Code"] == code);
  REQUIRE(envelope.contains("Data"));
  CHECK(envelope["Data"].is_null());
  CHECK(response.body == R"({"Status":"error","Code":")" + code + R"(","Data":null})");
  CHECK_FALSE(response.header("X-Ovo-Error").empty());
}

}  // namespace

TEST_CASE("every error row on one node answers Data null with the reason in X-Ovo-Error") {
  api_session api("rows", R"({"MaxKeyBytes":16,"MaxValueBytes":64,"MaxBodyBytes":2048})");
  REQUIRE(api.put_object("k", "v").status == 200);
  REQUIRE(api.put_object("other", "o").status == 200);
  struct row {
    const char* method;
    std::string path, body;
    long http;
    const char* code;
  };
  const std::vector<row> rows = {
      {"GET", "/ovo/keystorage/missing", "", 404, "101"},
      {"GET", "/ovo/counters/missing", "", 404, "101"},
      {"GET", "/ovo/keystorage/missing/getandremove", "", 404, "101"},
      {"PUT", "/ovo/keystorage", "not json", 400, "10"},
      {"PUT", "/ovo/keystorage", R"({"Key":"k","Data":5})", 400, "10"},
      {"PUT", "/ovo/keystorage", R"({"Key":"k","Data":"%%%"})", 400, "10"},
      {"PUT", "/ovo/keystorage", R"({"Key":"k","Data":[256]})", 400, "10"},
      {"PUT", "/ovo/keystorage", R"({"Key":"","Data":"AA=="})", 400, "10"},
      {"PUT", "/ovo/counters", R"({"Key":"c","Value":1.5})", 400, "10"},
      {"POST", "/ovo/keystorage/k/updatevalueifequal",
       json{{"Key", "k"}, {"Data", to_base64("x")}, {"NewData", to_base64("y")}}.dump(), 403,
       "103"},
      {"POST", "/ovo/keystorage/k/deletevalueifequal",
       json{{"Key", "k"}, {"Data", to_base64("x")}}.dump(), 403, "103"},
      {"POST", "/ovo/keystorage/k/updatekeyvalueifequal",
       json{{"Key", "k"}, {"NewKey", "n"}, {"Data", to_base64("x")}, {"NewData", to_base64("y")}}
           .dump(),
       403, "104"},
      {"POST", "/ovo/keystorage/missing/updatekey", R"({"Key":"missing","NewKey":"n"})", 403,
       "105"},
      {"PUT", "/ovo/keystorage", json{{"Key", std::string(17, 'k')}}.dump(), 413, "11"},
      {"PUT", "/ovo/keystorage",
       json{{"Key", "k"}, {"Data", to_base64(std::string(65, 'v'))}}.dump(), 413, "11"},
      {"PUT", "/ovo/keystorage", R"({"Key":"k","Pad":")" + std::string(3000, 'x') + "\"}", 413,
       "11"},
      {"GET", "/nothing/here", "", 404, "12"},
      {"DELETE", "/ovo/keystorage", "", 405, "13"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.method);
    CAPTURE(r.path);
    CAPTURE(r.body);
    check_row(api.call(r.method, r.path, r.body), r.http, r.code);
  }
  CHECK(api.value_of("k") == "v");
  CHECK(api.value_of("other") == "o");
  CHECK(api.key_count() == 2);
}

TEST_CASE("the X-Ovo-Error reason says what is wrong, escapes client bytes and stays one line") {
  api_session api;
  CHECK(api.call("PUT", "/ovo/keystorage", R"({"Key":"k","TTL":-1})").header("X-Ovo-Error") ==
        "TTL must not be negative");
  // A path quoting a control byte and a non-ASCII byte comes back escaped, on one line.
  auto unknown = raw_exchange(
      api.node.port(), "GET /nothing\x01\xff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      std::chrono::milliseconds(1000));
  CHECK(unknown.received.find("HTTP/1.1 404") == 0);
  CHECK(unknown.received.find("\r\nX-Ovo-Error: unknown path /nothing\\x01\\xff\r\n") !=
        std::string::npos);
  // Bounded, however long the quoted path.
  auto long_path = api.call("GET", "/nothing/" + std::string(5000, 'p'));
  CHECK(long_path.header("X-Ovo-Error").size() <= 300);
}

TEST_CASE("503/14 when the owner stops answering has Data null and a reason") {
  test_cluster c(2);
  REQUIRE(c.converged({0, 1}, 2));
  const auto key = c.key_owned_by(1, "owned-by-node1-");
  REQUIRE(c.put(1, key, "v").status == 200);
  c.nodes[1]->signal(SIGSTOP);
  // Forwarded to the frozen owner before node0 notices: answered when the link drops.
  auto read = c.call(0, "GET", "/ovo/keystorage/" + key);
  c.nodes[1]->signal(SIGCONT);
  check_row(read, 503, "14");
}
