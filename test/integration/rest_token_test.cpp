// Bearer tokens on the REST API (Settings.TokenFile, docs/security.md "REST tokens"): without
// a token of the node's, 401/"16"; a read token writing, 403/"17"; nothing changes on a
// refusal. The C++ client sends its token with every request.

#include "ovo/client.hpp"
#include "test/integration/http_client.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

using namespace ovo::test;
using namespace std::chrono_literals;

namespace {

struct answer {
  int status = 0;
  std::string code;
  std::string text;  ///< the whole response
};

/// One request over a fresh connection, with an Authorization header when `authorization`
/// is not empty; read until the whole answer (by its Content-Length) is there.
answer send(uint16_t port, const std::string& method, const std::string& path,
            const std::string& body, const std::string& authorization) {
  std::string request = method + " " + path + " HTTP/1.1\r\nHost: x\r\n";
  if (!authorization.empty()) request += "Authorization: " + authorization + "\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  raw_connection connection(port);
  connection.send_all(request);
  answer out;
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto part = connection.receive(20ms);
    out.text += part.received;
    const auto head_end = out.text.find("\r\n\r\n");
    const auto length = out.text.find("Content-Length: ");
    if (head_end != std::string::npos && length != std::string::npos &&
        out.text.size() >= head_end + 4 + std::stoul(out.text.substr(length + 16)))
      break;
    if (part.closed_by_server) break;
  }
  if (out.text.size() > 12) out.status = std::stoi(out.text.substr(9, 3));
  const auto code = out.text.find("\"Code\":\"");
  if (code != std::string::npos)
    out.code = out.text.substr(code + 8, out.text.find('"', code + 8) - code - 8);
  return out;
}

std::string token_file() {
  const auto path = make_temp_dir() + "/tokens";
  write_file(path, "# REST tokens: TOKEN SCOPE\nreader-7f3a read\n\nwriter-91c2 read-write\n");
  return path;
}

}  // namespace

TEST_CASE(
    "with a TokenFile a request without a token or with a wrong one answers 401/16, a read token "
    "reads but its writes answer 403/17, a read-write token does both, and refusals change "
    "nothing") {
  const auto tokens = token_file();
  test_cluster c(2, R"({"TokenFile":")" + tokens + R"("})");
  for (auto& client : c.clients) client->bearer_token = "reader-7f3a";  // its own queries
  REQUIRE(c.converged({0, 1}, 2));
  const auto port = c.nodes[0]->port();
  const auto key = c.key_owned_by(1, "token-");  // written through node0: forwarded to node1
  const auto put = R"({"Key":")" + key + R"(","Data":"dg=="})";

  const auto anonymous = send(port, "PUT", "/ovo/keystorage", put, "");
  CHECK(anonymous.status == 401);
  CHECK(anonymous.code == "16");
  CHECK(anonymous.text.find("WWW-Authenticate: Bearer realm=\"ovo\"") != std::string::npos);
  CHECK(anonymous.text.find("X-Ovo-Error: this node needs a bearer token") != std::string::npos);
  const auto wrong = send(port, "PUT", "/ovo/keystorage", put, "Bearer writer-91c3");
  CHECK(wrong.status == 401);
  CHECK(wrong.code == "16");
  CHECK(send(port, "GET", "/ovo/keystorage", "", "Basic d3JpdGVyLTkxYzI=").status == 401);
  const auto read_only = send(port, "PUT", "/ovo/keystorage", put, "Bearer reader-7f3a");
  CHECK(read_only.status == 403);
  CHECK(read_only.code == "17");
  // Nothing was written by the refusals.
  CHECK(send(port, "GET", "/ovo/keystorage/" + key, "", "Bearer reader-7f3a").status == 404);
  CHECK(send(port, "GET", "/ovo/keystorage", "", "Bearer reader-7f3a").text.find("\"Data\":0") !=
        std::string::npos);

  CHECK(send(port, "PUT", "/ovo/keystorage", put, "Bearer writer-91c2").status == 200);
  const auto read = send(port, "GET", "/ovo/keystorage/" + key, "", "bearer reader-7f3a");
  CHECK(read.status == 200);
  CHECK(read.text.find("\"Data\":\"dg==\"") != std::string::npos);
  CHECK(
      send(c.nodes[1]->port(), "GET", "/ovo/keystorage/" + key, "", "Bearer writer-91c2").status ==
      200);
  CHECK(send(port, "DELETE", "/ovo/keystorage/" + key, "", "Bearer reader-7f3a").status == 403);
  CHECK(send(port, "POST", "/ovo/counters", R"({"Key":"hits","Value":1})", "Bearer reader-7f3a")
            .status == 403);
  // getandremove reads, but it removes too: a write.
  CHECK(send(port, "GET", "/ovo/keystorage/" + key + "/getandremove", "", "Bearer reader-7f3a")
            .status == 403);
  CHECK(send(port, "GET", "/ovo/keystorage/" + key, "", "Bearer reader-7f3a").status == 200);
}

TEST_CASE("the C++ client sends its bearer token: with it every operation works, without it 16") {
  const auto tokens = token_file();
  test_cluster c(2, R"({"TokenFile":")" + tokens + R"("})");
  for (auto& client : c.clients) client->bearer_token = "reader-7f3a";  // its own queries
  REQUIRE(c.converged({0, 1}, 2));
  ovo::client::options with_token;
  with_token.bearer_token = "writer-91c2";
  ovo::client::cluster_client client({c.rest_address(0)}, with_token);
  client.put("tokened", "value");
  CHECK(client.get("tokened") == std::optional<std::string>("value"));
  CHECK(client.counter_add("tokened-counter", 5) == 5);
  try {
    ovo::client::cluster_client anonymous({c.rest_address(1)});
    anonymous.get("tokened");
    FAIL("a node with tokens answered a client without one");
  } catch (const ovo::client::error& e) {
    CHECK(e.http_status == 401);
    CHECK(e.code == "16");
  }
}
