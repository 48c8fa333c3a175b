// Whatever a stranger sends to the cluster port costs that connection only. Before the port
// checked the first frame, one 32-byte BASP header claiming a 4 GiB payload made CAF allocate
// it on the I/O thread every peer link shares, and the node lost all its links
// (docs/security.md, "The cluster port").

#include "test/integration/caf_client.hpp"
#include "test/integration/http_client.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <random>
#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;

namespace {

/// A BASP client handshake header (operation 1) claiming `payload` bytes, big-endian.
std::string client_handshake_header(uint32_t payload) {
  std::string out(32, '\0');
  out[0] = 1;
  for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<char>(payload >> (24 - 8 * i));
  return out;
}

std::string random_bytes(std::mt19937& rng, std::size_t size) {
  std::string out(size, '\0');
  for (auto& byte : out) byte = static_cast<char>(rng());
  return out;
}

}  // namespace

TEST_CASE(
    "hostile bytes on the cluster port close only their own connection: peer links, the view "
    "and REST stay as they were") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  const auto view_before = c.view(0);
  const auto key = c.key_owned_by(1, "hostile-");
  REQUIRE(c.put(0, key, "before").status == 200);
  const auto port = c.api_ports[0];

  // A client handshake claiming a payload of 4 GiB: closed at once.
  raw_connection bomb(port);
  REQUIRE(bomb.connected());
  bomb.send_all(client_handshake_header(0xFFFFFFF0u));
  CHECK(bomb.receive(1500ms).closed_by_server);

  // 50 x 64 KiB of random bytes, each on a connection of its own.
  std::mt19937 rng(1060);
  int noise_closed = 0;
  for (int i = 0; i < 50; ++i) {
    raw_connection noise(port);
    noise.send_all(random_bytes(rng, 64 * 1024));
    noise_closed += noise.receive(1500ms).closed_by_server;
  }
  CHECK(noise_closed == 50);

  // Half a handshake, then silence; and 300 connections that send nothing, held open together
  // (more than the 256 allowed to wait: the oldest make room).
  raw_connection half(port);
  half.send_all(client_handshake_header(32) + std::string(10, 'x'));
  std::vector<std::unique_ptr<raw_connection>> idle;
  for (int i = 0; i < 300; ++i) idle.push_back(std::make_unique<raw_connection>(port));
  // Meanwhile a well-formed handshake, even sent in two pieces, is handed to CAF, which answers
  // with its own.
  {
    raw_connection split(port);
    split.send_all(client_handshake_header(32));
    std::this_thread::sleep_for(100ms);
    split.send_all(std::string(32, 'z'));
    const auto answer = split.receive(2s, 32);
    REQUIRE(answer.received.size() >= 32);
    CHECK(answer.received[0] == 0);  // BASP operation 0: the server handshake
  }
  // Each silent connection is closed once the handshake timeout (2 s) passes.
  CHECK(half.receive(4s).closed_by_server);
  int idle_closed = 0;
  for (auto& connection : idle) idle_closed += connection->receive(2s).closed_by_server;
  CHECK(idle_closed == 300);

  // 1,000 connections opened and dropped.
  for (int i = 0; i < 1000; ++i) raw_connection dropped(port);

  CHECK(c.log_count({0, 1, 2}, "lost node") == 0);
  for (int node = 0; node < 3; ++node) CHECK(c.view(node) == view_before);
  CHECK(c.log_count({0}, "cluster port: closed the connection from 127.0.0.1") >= 1);
  // The link to the key's owner still carries a forwarded write and read.
  CHECK(c.put(0, key, "after").status == 200);
  CHECK(c.value_of(0, key) == "after");
  CHECK(c.value_of(2, key) == "after");
  // And a peer speaking CAF still gets in through the port.
  caf_client peer;
  auto endpoint = peer.published_at(port);
  REQUIRE(endpoint);
  ovo::command read;
  read.kind = ovo::op::get;
  read.key = key;
  CHECK(peer.answer_of<ovo::reply>(endpoint, caf::forward_atom_v, read).data == "after");
}
