#include "core/tls_hello.hpp"

namespace ovo {
namespace {

constexpr std::size_t record_header_size = 5;
constexpr uint8_t handshake_content_type = 22;
constexpr std::size_t max_record_length = 16384 + 2048;  // RFC 8446 5.2, ciphertext bound

}  // namespace

handshake_verdict check_tls_client_hello(const uint8_t* data, std::size_t size, std::string* why) {
  if (size == 0) return handshake_verdict::incomplete;
  auto invalid = [why](const std::string& reason) {
    if (why) *why = reason;
    return handshake_verdict::invalid;
  };
  if (data[0] != handshake_content_type)
    return invalid("not a TLS handshake (this cluster port speaks TLS only)");
  if (size < record_header_size) return handshake_verdict::incomplete;
  if (data[1] != 3 || data[2] > 4) return invalid("not a TLS 1.x record");
  const std::size_t length = (std::size_t{data[3]} << 8) | data[4];
  if (length == 0 || length > max_record_length)
    return invalid("TLS record of " + std::to_string(length) + " bytes");
  return handshake_verdict::valid;
}

}  // namespace ovo
