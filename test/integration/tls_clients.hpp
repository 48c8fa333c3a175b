#pragma once
// What the TLS tests share: development certificates, and a client that stops mid-handshake.

#include <openssl/ssl.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ovo::test {

/// A CA and certificates for `names` in a fresh directory (tools/gen-certs.sh).
std::string make_certificates(const std::vector<std::string>& names);

/// A TLS client that sent its ClientHello and then says nothing more: the server's side of
/// the handshake waits (with CAF's own OpenSSL module, spinning a core meanwhile; with
/// Pistache's own handshake, holding up every other HTTPS client).
class stalled_handshake {
 public:
  stalled_handshake(SSL_CTX* context, uint16_t port);
  ~stalled_handshake();
  stalled_handshake(const stalled_handshake&) = delete;
  stalled_handshake& operator=(const stalled_handshake&) = delete;
  bool connected() const { return connected_; }
  /// Whether the server closed the connection (waits up to `wait_ms` for it).
  bool closed_by_server(int wait_ms) const;

 private:
  int fd_;
  SSL* ssl_ = nullptr;
  bool connected_ = false;
};

}  // namespace ovo::test
