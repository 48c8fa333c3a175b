#include "core/basp_handshake.hpp"

namespace ovo {
namespace {

constexpr uint8_t client_handshake_operation = 1;
constexpr uint8_t select_connection_flag = 0x02;  // the only flag a client handshake may carry

uint64_t read_big_endian(const uint8_t* data, std::size_t bytes) {
  uint64_t value = 0;
  for (std::size_t i = 0; i < bytes; ++i) value = (value << 8) | data[i];
  return value;
}

handshake_verdict invalid(std::string* why, const std::string& reason) {
  if (why) *why = reason;
  return handshake_verdict::invalid;
}

}  // namespace

handshake_verdict check_client_handshake(const uint8_t* data, std::size_t size, std::string* why) {
  if (size < basp_header_size) return handshake_verdict::incomplete;
  if (data[0] != client_handshake_operation)
    return invalid(why, "not a BASP client handshake (operation " + std::to_string(data[0]) + ")");
  if (data[1] != 0 || data[2] != 0 || (data[3] & ~select_connection_flag) != 0)
    return invalid(why, "malformed BASP header (padding or flags)");
  const auto payload = read_big_endian(data + 4, 4);
  if (read_big_endian(data + 8, 8) != 0 || read_big_endian(data + 16, 8) != 0 ||
      read_big_endian(data + 24, 8) != 0)
    return invalid(why, "malformed BASP client handshake (actor fields set)");
  if (payload == 0 || payload > basp_handshake_max_payload)
    return invalid(why, "BASP client handshake claims a payload of " + std::to_string(payload) +
                            " bytes (at most " + std::to_string(basp_handshake_max_payload) + ")");
  return size >= basp_header_size + payload ? handshake_verdict::valid
                                            : handshake_verdict::incomplete;
}

}  // namespace ovo
