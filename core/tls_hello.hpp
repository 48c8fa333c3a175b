#pragma once
// The first bytes on a cluster port that speaks TLS: a TLS handshake record (a ClientHello).
// Checked before a connection costs a TLS session (node/cluster_listener.hpp).

#include "core/basp_handshake.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace ovo {

/// Valid once the 5-byte record header announces a handshake record (content type 22) of TLS
/// 1.x with a plausible length; the record itself is TLS's to judge.
handshake_verdict check_tls_client_hello(const uint8_t* data, std::size_t size,
                                         std::string* why = nullptr);

}  // namespace ovo
