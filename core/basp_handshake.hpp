#pragma once
// The first frame a CAF 0.17 peer sends on connecting: a BASP client handshake. The cluster
// port checks it before CAF's BASP broker sees a byte, because the broker trusts the payload
// length any header claims and allocates it on the one I/O thread every peer link shares
// (docs/security.md, "The cluster port").
//
// Wire layout (big-endian, 32-byte header): operation u8, two padding bytes, flags u8,
// payload_len u32, operation_data u64, source_actor u64, dest_actor u64; then payload_len
// bytes, for a client handshake the sender's node id (32 bytes in CAF 0.17).

#include <cstddef>
#include <cstdint>
#include <string>

namespace ovo {

/// BASP's fixed header size.
constexpr std::size_t basp_header_size = 32;
/// The largest client handshake payload accepted (a node id; CAF 0.17's is 32 bytes).
constexpr std::size_t basp_handshake_max_payload = 512;

enum class handshake_verdict {
  incomplete,  ///< a prefix of a valid handshake: wait for more bytes
  valid,       ///< a complete, well-formed client handshake
  invalid,     ///< anything else: close the connection
};

/// Judges the first `size` bytes a connection sent; `why` says what is wrong when invalid.
handshake_verdict check_client_handshake(const uint8_t* data, std::size_t size,
                                         std::string* why = nullptr);

}  // namespace ovo
