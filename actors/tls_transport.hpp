#pragma once
// Mutual TLS on the cluster port: every connection between nodes (and from ovoctl) is TLS, and
// each side must present a certificate signed by the cluster's CA (docs/security.md, "Mutual
// TLS"). Wire-compatible with CAF 0.17's OpenSSL module (caf_openssl), whose transport it
// replaces because that one spins a core for as long as a peer leaves its TLS handshake
// unfinished (CAF issue 1060) and rereads the files on every connection (aborting the process
// when one went missing).

#include <caf/fwd.hpp>
#include <caf/io/fwd.hpp>
#include <caf/io/middleman_actor.hpp>

#include <memory>
#include <string>

struct ssl_ctx_st;

namespace ovo {

/// The PEM files of a TLS identity: certificate (chain), its private key, the CA it trusts.
struct tls_files {
  std::string certificate;
  std::string key;
  std::string ca;
};

class tls_transport {
 public:
  /// Loads the files once; throws std::runtime_error naming the file and OpenSSL's reason.
  tls_transport(caf::actor_system& system, const tls_files& files);
  ~tls_transport();
  tls_transport(const tls_transport&) = delete;
  tls_transport& operator=(const tls_transport&) = delete;

  /// Connects like CAF's middleman actor ((connect, host, port) answers the published actor),
  /// over TLS.
  caf::io::middleman_actor connector() const { return middleman_; }

  /// The server side of a connection accepted on the cluster port, for CAF's BASP broker;
  /// null if TLS could not be started on it.
  caf::io::scribe_ptr adopt(int fd) const;

 private:
  caf::actor_system& system_;
  std::shared_ptr<ssl_ctx_st> context_;
  caf::io::middleman_actor middleman_;
};

}  // namespace ovo
