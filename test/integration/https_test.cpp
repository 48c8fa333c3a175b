// HTTPS on the REST port (Settings.RestCertFile, RestKeyFile; docs/security.md "HTTPS"): the
// whole protocol over TLS, tokens included, plaintext refused; and silent or stalled TLS
// clients cost their own connection only (rest/lazy_tls_handshake.cpp).

#include "ovo/client.hpp"
#include "test/integration/http_client.hpp"
#include "test/integration/node_process.hpp"
#include "test/integration/tls_clients.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;

namespace {

/// A node serving HTTPS with `certs`/node0's certificate, with `more` settings.
node_options https_node(const std::string& certs, const std::string& more = "") {
  node_options options;
  options.settings_json = "{" + more + R"("RestCertFile":")" + certs + R"(/node0.pem",)" +
                          R"("RestKeyFile":")" + certs + R"(/node0.key"})";
  options.https_ca_file = certs + "/ca.pem";
  return options;
}

std::string base64_json(const std::string& key, const std::string& value) {
  return R"({"Key":")" + key + R"(","Data":")" + to_base64(value) + R"("})";
}

}  // namespace

TEST_CASE(
    "with RestCertFile and RestKeyFile a node serves the protocol over HTTPS only: tokens and "
    "scopes work as over HTTP, plain HTTP gets no answer, and the C++ client connects with the "
    "CA") {
  const auto certs = make_certificates({"node0"});
  const auto tokens = make_temp_dir() + "/tokens";
  write_file(tokens, "reader-5e1 read\nwriter-0c9 read-write\n");
  node_process node(https_node(certs, R"("TokenFile":")" + tokens + R"(",)"));
  CHECK(node.log().find("(HTTPS)") != std::string::npos);

  http_client writer;
  writer.ca_file = certs + "/ca.pem";
  writer.bearer_token = "writer-0c9";
  CHECK(writer.request("PUT", node.url("/ovo/keystorage"), base64_json("k", "over tls")).status ==
        200);
  const auto read = writer.get(node.url("/ovo/keystorage/k"));
  CHECK(read.status == 200);
  CHECK(read.envelope()["Data"]["Data"] == to_base64("over tls"));
  CHECK(writer.new_connections() == 0);  // the TLS connection is kept alive

  http_client reader;
  reader.ca_file = certs + "/ca.pem";
  reader.bearer_token = "reader-5e1";
  CHECK(reader.get(node.url("/ovo/keystorage/k")).status == 200);
  const auto refused = reader.request("DELETE", node.url("/ovo/keystorage/k"));
  CHECK(refused.status == 403);
  CHECK(refused.code() == "17");
  http_client anonymous;
  anonymous.ca_file = certs + "/ca.pem";
  CHECK(anonymous.get(node.url("/ovo/keystorage/k")).status == 401);

  http_client untrusting;  // the system's CAs do not know the development CA
  CHECK(untrusting.get(node.url("/ovo/keystorage/k")).status == 0);
  const auto plain = raw_exchange(node.port(), "GET /ovo/keystorage/k HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(plain.received.find("HTTP/1.1") == std::string::npos);

  ovo::client::options opts;
  opts.https = true;
  opts.ca_file = certs + "/ca.pem";
  opts.bearer_token = "writer-0c9";
  ovo::client::cluster_client client({"127.0.0.1:" + std::to_string(node.port())}, opts);
  client.put("from-client", "v");
  CHECK(client.get("from-client") == std::optional<std::string>("v"));
  CHECK(client.get("k") == std::optional<std::string>("over tls"));
}

TEST_CASE(
    "HTTPS clients that connect and stay silent or stop mid-handshake hold up no other client, "
    "and the node closes them after its header timeout") {
  const auto certs = make_certificates({"node0"});
  node_process node(https_node(certs));
  std::vector<std::unique_ptr<raw_connection>> silent;
  for (int i = 0; i < 5; ++i) silent.push_back(std::make_unique<raw_connection>(node.port()));
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_client_method()),
                                                            SSL_CTX_free);
  std::vector<std::unique_ptr<stalled_handshake>> stalled;
  for (int i = 0; i < 3; ++i)
    stalled.push_back(std::make_unique<stalled_handshake>(context.get(), node.port()));
  for (const auto& connection : silent) REQUIRE(connection->connected());
  for (const auto& client : stalled) REQUIRE(client->connected());

  // Pistache's own handshake would hold each of these 10 s, one after another, on the
  // listener thread: a new client would wait 80 s. Each request opens a new connection.
  for (int i = 0; i < 5; ++i) {
    http_client fresh;
    fresh.ca_file = certs + "/ca.pem";
    const auto started = std::chrono::steady_clock::now();
    CHECK(fresh
              .request("PUT", node.url("/ovo/keystorage"),
                       base64_json("busy-" + std::to_string(i), "v"))
              .status == 200);
    CHECK(std::chrono::steady_clock::now() - started < 3s);
  }

  // Closed after the header timeout (10 s, checked every 0.5 s): a silent client costs its
  // own connection for that long, never the node.
  std::this_thread::sleep_for(9s);
  for (const auto& connection : silent) {
    const auto rest = connection->receive(3s);
    CHECK(rest.closed_by_server);
  }
  for (const auto& client : stalled) CHECK(client->closed_by_server(1000));
  http_client after;
  after.ca_file = certs + "/ca.pem";
  CHECK(after.get(node.url("/ovo/keystorage/busy-0")).status == 200);
}
