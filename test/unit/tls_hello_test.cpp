#include "core/tls_hello.hpp"

#include <doctest/doctest.h>

#include <vector>

namespace {

ovo::handshake_verdict verdict(const std::vector<uint8_t>& bytes) {
  return ovo::check_tls_client_hello(bytes.data(), bytes.size());
}

}  // namespace

TEST_CASE("a TLS handshake record header is valid, a prefix of one incomplete") {
  CHECK(verdict({0x16, 0x03, 0x01, 0x01, 0x2c}) == ovo::handshake_verdict::valid);  // TLS 1.x
  CHECK(verdict({0x16, 0x03, 0x03, 0x00, 0x40, 0x01}) == ovo::handshake_verdict::valid);
  CHECK(verdict({}) == ovo::handshake_verdict::incomplete);
  CHECK(verdict({0x16, 0x03}) == ovo::handshake_verdict::incomplete);
}

TEST_CASE("plaintext BASP, HTTP, other record types and absurd lengths are not a TLS hello") {
  CHECK(verdict({0x01, 0x00, 0x00, 0x00, 0xff}) == ovo::handshake_verdict::invalid);  // BASP
  CHECK(verdict({'G', 'E', 'T', ' ', '/'}) == ovo::handshake_verdict::invalid);
  CHECK(verdict({0x17, 0x03, 0x03, 0x00, 0x40}) == ovo::handshake_verdict::invalid);  // data
  CHECK(verdict({0x16, 0x02, 0x00, 0x00, 0x40}) == ovo::handshake_verdict::invalid);  // SSLv2-3
  CHECK(verdict({0x16, 0x03, 0x01, 0x00, 0x00}) == ovo::handshake_verdict::invalid);
  CHECK(verdict({0x16, 0x03, 0x01, 0xff, 0xff}) == ovo::handshake_verdict::invalid);
  std::string why;
  const std::vector<uint8_t> basp{0x01, 0x00, 0x00, 0x00};
  ovo::check_tls_client_hello(basp.data(), basp.size(), &why);
  CHECK(why == "not a TLS handshake (this cluster port speaks TLS only)");
}
