#include "core/basp_handshake.hpp"

#include <doctest/doctest.h>

#include <vector>

namespace {

/// A BASP header: operation, flags, payload length (the other fields zero unless given).
std::vector<uint8_t> header(uint8_t operation, uint8_t flags, uint32_t payload,
                            uint64_t operation_data = 0) {
  std::vector<uint8_t> out(ovo::basp_header_size, 0);
  out[0] = operation;
  out[3] = flags;
  for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<uint8_t>(payload >> (24 - 8 * i));
  for (int i = 0; i < 8; ++i) out[8 + i] = static_cast<uint8_t>(operation_data >> (56 - 8 * i));
  return out;
}

/// A client handshake as CAF 0.17 sends it: the header, then a 32-byte node id.
std::vector<uint8_t> client_handshake() {
  auto out = header(1, 0, 32);
  out.resize(out.size() + 32, 0x5a);
  return out;
}

ovo::handshake_verdict verdict(const std::vector<uint8_t>& bytes, std::size_t size) {
  return ovo::check_client_handshake(bytes.data(), size);
}

}  // namespace

TEST_CASE("a whole client handshake is valid, any prefix of it incomplete") {
  const auto bytes = client_handshake();
  CHECK(verdict(bytes, bytes.size()) == ovo::handshake_verdict::valid);
  CHECK(verdict(bytes, 0) == ovo::handshake_verdict::incomplete);
  CHECK(verdict(bytes, 31) == ovo::handshake_verdict::incomplete);
  CHECK(verdict(bytes, 32) == ovo::handshake_verdict::incomplete);
  CHECK(verdict(bytes, bytes.size() - 1) == ovo::handshake_verdict::incomplete);
  auto selecting = client_handshake();
  selecting[3] = 0x02;  // select_connection: the repeat after the server's handshake
  CHECK(verdict(selecting, selecting.size()) == ovo::handshake_verdict::valid);
}

TEST_CASE("a client handshake claiming a huge payload is invalid from its header alone") {
  const auto bomb = header(1, 0, 0xFFFFFFF0u);
  std::string why;
  CHECK(ovo::check_client_handshake(bomb.data(), bomb.size(), &why) ==
        ovo::handshake_verdict::invalid);
  CHECK(why == "BASP client handshake claims a payload of 4294967280 bytes (at most 512)");
  CHECK(verdict(header(1, 0, 513), 32) == ovo::handshake_verdict::invalid);
  CHECK(verdict(header(1, 0, 0), 32) == ovo::handshake_verdict::invalid);
}

TEST_CASE("any other first frame is invalid: other operations, flags, padding, actor fields") {
  CHECK(verdict(header(0, 0, 32), 32) == ovo::handshake_verdict::invalid);  // server's
  CHECK(verdict(header(2, 0, 32), 32) == ovo::handshake_verdict::invalid);  // a message
  CHECK(verdict(header(3, 0, 32), 32) == ovo::handshake_verdict::invalid);
  CHECK(verdict(header(6, 0, 0), 32) == ovo::handshake_verdict::invalid);  // heartbeat
  CHECK(verdict(header(1, 0x01, 32), 32) == ovo::handshake_verdict::invalid);
  CHECK(verdict(header(1, 0, 32, 3), 32) == ovo::handshake_verdict::invalid);
  auto padded = header(1, 0, 32);
  padded[1] = 7;
  CHECK(verdict(padded, 32) == ovo::handshake_verdict::invalid);
  auto addressed = header(1, 0, 32);
  addressed[31] = 1;  // dest_actor
  CHECK(verdict(addressed, 32) == ovo::handshake_verdict::invalid);
  const std::string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  std::vector<uint8_t> http(request.begin(), request.end());
  http.resize(ovo::basp_header_size);
  CHECK(verdict(http, http.size()) == ovo::handshake_verdict::invalid);
}
