// Mutual TLS on the cluster port (docs/security.md, "Mutual TLS"): nodes with certificates of
// the cluster's CA form a cluster as plaintext nodes do; anyone else is refused at the TLS
// handshake, which costs its connection only and never a spinning core (CAF issue 1060).

#include "test/integration/http_client.hpp"
#include "test/integration/test_cluster.hpp"
#include "test/integration/tls_clients.hpp"

#include <doctest/doctest.h>

#include <openssl/ssl.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <sstream>
#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;

namespace {

/// Settings giving node `name` its certificate from `dir`, trusting `dir`'s CA.
std::string tls_settings(const std::string& dir, const std::string& name,
                         const std::string& more = "") {
  return R"({)" + more + R"("ClusterCertFile":")" + dir + "/" + name +
         R"(.pem","ClusterKeyFile":")" + dir + "/" + name + R"(.key","ClusterCAFile":")" + dir +
         R"(/ca.pem"})";
}

/// ovoctl's TLS options for the admin certificate in `dir`.
std::vector<std::string> admin_tls(const std::string& dir) {
  return {"--cert", dir + "/admin.pem", "--key", dir + "/admin.key", "--ca", dir + "/ca.pem"};
}

/// The CPU seconds (user + system) process `pid` used so far.
double cpu_seconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::vector<std::string> field((std::istream_iterator<std::string>(fields)),
                                 std::istream_iterator<std::string>());
  return static_cast<double>(std::stoll(field.at(11)) + std::stoll(field.at(12))) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

TEST_CASE(
    "with mutual TLS a cluster converges, forwards and replicates, fails over after kill -9, "
    "and ovoctl needs a certificate of the cluster's CA") {
  const auto certs = make_certificates({"node0", "node1", "node2", "admin"});
  test_cluster c(3, "{}", [&](int i, node_options& options) {
    options.settings_json = tls_settings(certs, test_cluster::name(i));
  });
  REQUIRE(c.converged({0, 1, 2}, 3));
  CHECK(c.log_count({0, 1, 2}, "(mutual TLS)") == 3);
  std::vector<std::string> keys;
  for (int i = 0; i < 60; ++i) {
    keys.push_back("tls-" + std::to_string(i));
    REQUIRE(c.put(i % 3, keys.back(), "v").status == 200);
  }
  for (const auto& key : keys) CHECK(c.value_of(1, key) == "v");
  auto with_certificate = admin_tls(certs);
  with_certificate.insert(with_certificate.end(), {"--node", c.api_address(0), "topology"});
  const auto topology = run_ovoctl(with_certificate);
  CHECK(topology.exit_code == 0);
  CHECK(topology.output.find("node2") != std::string::npos);
  const auto plaintext = run_ovoctl({"--node", c.api_address(0), "topology"});
  CHECK(plaintext.exit_code == 3);
  CHECK(plaintext.output.find("needs --cert, --key and --ca") != std::string::npos);

  const auto killed = std::chrono::steady_clock::now();
  c.nodes[2]->stop(SIGKILL, 2s);
  REQUIRE(c.failed_over({0, 1}, 2));
  MESSAGE("with mutual TLS, kill -9 to the survivors' failed-over view: "
          << std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count()
          << " s");
  int readable = 0;
  for (const auto& key : keys) readable += c.value_of(0, key) == "v" && c.value_of(1, key) == "v";
  CHECK(readable == static_cast<int>(keys.size()));
  CHECK(c.put(0, "after-failover", "w").status == 200);
}

TEST_CASE(
    "a node whose certificate another CA signed cannot join a TLS cluster: it stays out of "
    "every view") {
  const auto certs = make_certificates({"node0", "node1"});
  const auto rogue = make_certificates({"node2"});
  test_cluster c(3, "{}", [&](int i, node_options& options) {
    options.settings_json = tls_settings(i == 2 ? rogue : certs, test_cluster::name(i));
  });
  std::this_thread::sleep_for(3s);  // a join would take milliseconds; reconnects go on
  for (int node : {0, 1}) CHECK(c.view(node)["node2"].first != "ACTIVE");
  CHECK(c.view(0)["node1"].first == "ACTIVE");
  CHECK(c.view(2)["node0"].first != "ACTIVE");
  CHECK(c.log_count({0, 1}, "connected to node2") == 0);
  CHECK(c.log_count({2}, "connected to node") == 0);
}

TEST_CASE(
    "a TLS cluster port closes plaintext BASP, a huge header and random bytes at once, and 200 "
    "stalled TLS handshakes cost no CPU: peer links and views stay as they were") {
  const auto certs = make_certificates({"node0", "node1"});
  test_cluster c(2, "{}", [&](int i, node_options& options) {
    options.settings_json = tls_settings(certs, test_cluster::name(i));
  });
  REQUIRE(c.converged({0, 1}, 2));
  const auto view_before = c.view(0);
  const auto port = c.api_ports[0];

  std::string bomb(32, '\0');  // a BASP client handshake claiming 4 GiB
  bomb[0] = 1;
  bomb[4] = bomb[5] = bomb[6] = static_cast<char>(0xFF);
  raw_connection plaintext_bomb(port);
  plaintext_bomb.send_all(bomb);
  CHECK(plaintext_bomb.receive(1500ms).closed_by_server);
  std::mt19937 rng(1060);
  int noise_closed = 0;
  for (int i = 0; i < 20; ++i) {
    std::string noise(64 * 1024, '\0');
    for (auto& byte : noise) byte = static_cast<char>(rng());
    noise[0] = 0x17;  // never a TLS handshake record
    raw_connection connection(port);
    connection.send_all(noise);
    noise_closed += connection.receive(1500ms).closed_by_server;
  }
  CHECK(noise_closed == 20);

  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> client(SSL_CTX_new(TLS_client_method()),
                                                           SSL_CTX_free);
  std::vector<std::unique_ptr<stalled_handshake>> stalled;
  for (int i = 0; i < 200; ++i)
    stalled.push_back(std::make_unique<stalled_handshake>(client.get(), port));
  int connected = 0;
  for (const auto& s : stalled) connected += s->connected();
  CHECK(connected == 200);
  std::this_thread::sleep_for(300ms);  // handed over, each waiting for the client's next step
  const auto before = cpu_seconds(c.nodes[0]->pid());
  std::this_thread::sleep_for(2s);
  const auto used = cpu_seconds(c.nodes[0]->pid()) - before;
  MESSAGE("node CPU with 200 stalled TLS handshakes: " << used << " s in 2 s");
  CHECK(used < 0.5);  // CAF's own module spins a core: ~2 s in 2 s

  CHECK(c.log_count({0, 1}, "lost node") == 0);
  CHECK(c.view(0) == view_before);
  CHECK(c.view(1) == view_before);
  const auto key = c.key_owned_by(1, "tls-hostile-");
  CHECK(c.put(0, key, "v").status == 200);
  CHECK(c.value_of(0, key) == "v");
}

TEST_CASE(
    "a node refuses to start with a key that does not belong to its certificate, or in "
    "plaintext on a non-loopback APIHost without AllowPlaintextCluster") {
  const auto certs = make_certificates({"node0", "node1"});
  const auto dir = make_temp_dir();
  auto config = [&](const std::string& api_host, const std::string& settings) {
    write_file(dir + "/serverconf.json",
               R"({"ServerNode":{"Node":{"Name":"n","Host":"127.0.0.1","Port":)" +
                   std::to_string(free_port()) + R"(,"APIHost":")" + api_host + R"(","APIPort":)" +
                   std::to_string(free_port()) + R"(}},"Settings":)" + settings + "}");
    return run_ovo({"-conf=" + dir + "/serverconf.json"});
  };
  const auto mismatched =
      config("127.0.0.1", R"({"ClusterCertFile":")" + certs + R"(/node0.pem","ClusterKeyFile":")" +
                              certs + R"(/node1.key","ClusterCAFile":")" + certs + R"(/ca.pem"})");
  CHECK(mismatched.exit_code == 2);
  CHECK(mismatched.output.find("does not belong to the certificate") != std::string::npos);
  const auto plaintext = config("0.0.0.0", "{}");
  CHECK(plaintext.exit_code == 2);
  CHECK(plaintext.output.find("\"0.0.0.0\" is not a loopback address, so the cluster port needs "
                              "mutual TLS") != std::string::npos);
}
