#pragma once
// The cluster port (APIPort). CAF's BASP broker trusts the payload length any header claims and
// allocates it on the one I/O thread all peer links share, so a stranger's bytes could stall or
// kill every link. This listener accepts connections itself and hands one over only once its
// first bytes are what the port speaks: a well-formed BASP client handshake in plaintext
// (core/basp_handshake.hpp), a TLS handshake record with mutual TLS (core/tls_hello.hpp);
// anything else costs only its own connection. docs/security.md, "The cluster port".

#include "core/basp_handshake.hpp"

#include <caf/actor_system.hpp>
#include <caf/fwd.hpp>
#include <caf/io/fwd.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace ovo {

/// What a connection's first bytes must be (check_client_handshake, check_tls_client_hello).
using first_bytes_check = handshake_verdict (*)(const uint8_t*, std::size_t, std::string*);
/// Turns an accepted socket into a connection for CAF's BASP broker (null: close it).
using socket_adopter = std::function<caf::io::scribe_ptr(int fd)>;

class cluster_listener {
 public:
  /// Listens on host:port (an empty host: every address) for peers of `published`, whose
  /// interface is `interface`; connections whose first bytes pass `check` are adopted by
  /// `adopt`. Throws std::runtime_error saying why when it cannot listen.
  cluster_listener(caf::actor_system& system, caf::strong_actor_ptr published,
                   std::set<std::string> interface, const std::string& host, uint16_t port,
                   first_bytes_check check, socket_adopter adopt);
  /// Stops accepting; connections already handed to CAF stay.
  ~cluster_listener();

  cluster_listener(const cluster_listener&) = delete;
  cluster_listener& operator=(const cluster_listener&) = delete;

  uint16_t port() const { return port_; }

 private:
  using clock = std::chrono::steady_clock;

  /// A connection whose handshake has not been seen in full yet.
  struct pending {
    int fd;
    std::string peer;             ///< address:port, for the log
    clock::time_point deadline;   ///< closed if the handshake is not complete by then
    clock::time_point next_look;  ///< a partial handshake is looked at again then, not before
    bool sent_anything = false;
  };

  void run();
  void accept_all();
  /// Looks at what `p` sent so far; true when the connection is settled (handed over or closed).
  bool look(pending& p);
  void refuse(pending& p, const std::string& why);

  caf::actor broker_;  ///< CAF's BASP broker, which takes the connections over
  first_bytes_check check_;
  socket_adopter adopt_;
  caf::strong_actor_ptr published_;
  std::set<std::string> interface_;
  int listen_fd_ = -1;
  int wake_fds_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::vector<pending> pending_;
  clock::time_point last_refusal_log_{};
  clock::time_point accept_paused_until_{};
  clock::time_point last_accept_error_log_{};
  std::size_t refusals_unlogged_ = 0;
  std::thread thread_;
};

}  // namespace ovo
