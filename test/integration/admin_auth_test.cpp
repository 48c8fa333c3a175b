// The admin actor is handed out only to ovoctl presenting the node's admin token
// (Settings.AdminTokenFile); a refused call exits 1 with a clear message and changes nothing.

#include "test/integration/api_session.hpp"
#include "test/integration/netns_lab.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <stdlib.h>

using namespace ovo::test;

TEST_CASE(
    "with an admin token ovoctl is refused without it or with a wrong one and works with it") {
  const auto dir = make_temp_dir();
  write_file(dir + "/admin.token", "s3cret-token\n");
  write_file(dir + "/wrong.token", "guess\n");
  node_options options;
  options.name = "guarded";
  options.api_port = free_port();
  options.settings_json = R"({"AdminTokenFile":")" + dir + R"(/admin.token"})";
  node_process node(options);
  const auto address = "127.0.0.1:" + std::to_string(options.api_port);

  auto without = run_ovoctl({"--node", address, "ping"});
  CHECK(without.exit_code == 1);
  CHECK(without.output.find("refused admin access") != std::string::npos);
  auto wrong = run_ovoctl({"--node", address, "--token-file", dir + "/wrong.token", "ping"});
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.output.find("wrong or missing admin token") != std::string::npos);
  auto right = run_ovoctl({"--node", address, "--token-file", dir + "/admin.token", "ping"});
  CHECK(right.exit_code == 0);
  CHECK(right.output.find("guarded") != std::string::npos);
  // The same token from the environment, as OVOCTL_TOKEN_FILE.
  ::setenv("OVOCTL_TOKEN_FILE", (dir + "/admin.token").c_str(), 1);
  auto from_env = run_ovoctl({"--node", address, "ping"});
  ::unsetenv("OVOCTL_TOKEN_FILE");
  CHECK(from_env.exit_code == 0);
  CHECK(node.log().find("admin access refused") != std::string::npos);
}

TEST_CASE("an AdminTokenFile that cannot be read stops the node at start with exit code 2") {
  const auto dir = make_temp_dir();
  write_file(dir + "/serverconf.json",
             R"({"ServerNode":{"Node":{"Name":"n","Host":"127.0.0.1","Port":)" +
                 std::to_string(free_port()) +
                 R"(}},"Settings":{"AdminTokenFile":"/nonexistent/admin.token"}})");
  auto result = run_ovo({"-conf=" + dir + "/serverconf.json"});
  CHECK(result.exit_code == 2);
  CHECK(result.output.find("Settings.AdminTokenFile: cannot read /nonexistent/admin.token") !=
        std::string::npos);
}

TEST_CASE(
    "from another address (a network namespace's bridge) ovoctl is refused by a node without an "
    "admin token, and works with the token of a node that has one") {
  netns_lab lab(16, 2);
  const auto token = make_temp_dir() + "/admin.token";
  write_file(token, "namespace-token\n");
  // node0 has no token (admin over loopback only), node1 has one.
  test_cluster c(
      2, R"({"AllowPlaintextCluster":true})",
      [&](int i, node_options& options) {
        if (i == 1)
          options.settings_json =
              R"({"AllowPlaintextCluster":true,"AdminTokenFile":")" + token + R"("})";
      },
      lab.places());
  auto loopback_only = run_ovoctl({"--node", c.api_address(0), "ping"});
  CHECK(loopback_only.exit_code == 1);
  CHECK(loopback_only.output.find("accepted only over loopback, not from 10.213.16.1") !=
        std::string::npos);
  auto without = run_ovoctl({"--node", c.api_address(1), "ping"});
  CHECK(without.exit_code == 1);
  CHECK(without.output.find("wrong or missing admin token") != std::string::npos);
  auto with = run_ovoctl({"--node", c.api_address(1), "--token-file", token, "ping"});
  CHECK(with.exit_code == 0);
  CHECK(with.output.find("node1") != std::string::npos);
}
