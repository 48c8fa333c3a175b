// The probes outside /ovo/ (docs/protocol.md, "Probes"): /healthz says the process serves HTTP;
// /readyz says whether the node should get traffic, with the reason when it should not. Neither
// needs a bearer token.

#include "test/integration/http_client.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;

TEST_CASE(
    "GET /healthz answers 200 with Data null without the token of a node with a TokenFile, "
    "which still refuses /ovo/ without it, and other methods answer 405") {
  const auto tokens = make_temp_dir() + "/tokens";
  write_file(tokens, "reader-31 read\n");
  node_options options;
  options.settings_json = R"({"TokenFile":")" + tokens + R"("})";
  node_process node(options);
  http_client anonymous;
  const auto health = anonymous.get(node.url("/healthz"));
  CHECK(health.status == 200);
  CHECK(health.envelope()["Data"].is_null());
  CHECK(anonymous.get(node.url("/ovo/cluster/me")).status == 401);
  const auto posted = anonymous.request("POST", node.url("/healthz"), "{}");
  CHECK(posted.status == 405);
  CHECK(posted.header("Allow") == "GET");
}

TEST_CASE(
    "GET /readyz answers 503/14 with the reason while a node reaches none of its configured "
    "peers, and 200 on every node once a cluster has settled") {
  node_options lonely;
  lonely.topology_json =
      R"({"Nodes":[{"Node":{"Name":"gone-1","Host":"127.0.0.1","Port":)" +
      std::to_string(free_port()) + R"(,"APIPort":)" + std::to_string(free_port()) +
      R"(}},{"Node":{"Name":"gone-2","Host":"127.0.0.1","Port":)" + std::to_string(free_port()) +
      R"(,"APIPort":)" + std::to_string(free_port()) + "}}]}";
  node_process alone(lonely);
  http_client client;
  const auto unready = client.get(alone.url("/readyz"));
  CHECK(unready.status == 503);
  CHECK(unready.code() == "14");
  CHECK(unready.envelope()["Data"].is_null());
  CHECK(unready.header("X-Ovo-Error").find("cannot reach a majority") != std::string::npos);

  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  for (int node = 0; node < 3; ++node) {
    long status = 0;
    std::string reason;
    for (int attempt = 0; attempt < 100 && status != 200; ++attempt) {  // at most ~10 s
      const auto answer = client.get(c.nodes[static_cast<std::size_t>(node)]->url("/readyz"));
      status = answer.status;
      reason = answer.header("X-Ovo-Error");
      if (status != 200) std::this_thread::sleep_for(100ms);
    }
    CHECK_MESSAGE(status == 200, "node" << node << ": " << reason);
  }
}
