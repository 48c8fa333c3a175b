#pragma once
// The cluster port (APIPort). CAF's BASP broker trusts the payload length any header claims and
// allocates it on the one I/O thread all peer links share, so a stranger's bytes could stall or
// kill every link. This listener accepts connections itself and hands one to the broker only
// once its first frame is a well-formed client handshake (core/basp_handshake.hpp); anything
// else costs only its own connection. docs/security.md, "The cluster port".

#include <caf/actor_system.hpp>
#include <caf/fwd.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace ovo {

class cluster_listener {
 public:
  /// Listens on host:port (an empty host: every address) for peers of `published`, whose
  /// interface is `interface`. Throws std::runtime_error saying why when it cannot listen.
  cluster_listener(caf::actor_system& system, caf::strong_actor_ptr published,
                   std::set<std::string> interface, const std::string& host, uint16_t port);
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

  caf::actor_system& system_;
  caf::actor broker_;  ///< CAF's BASP broker, which takes the connections over
  caf::strong_actor_ptr published_;
  std::set<std::string> interface_;
  int listen_fd_ = -1;
  int wake_fds_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::vector<pending> pending_;
  clock::time_point last_refusal_log_{};
  std::size_t refusals_unlogged_ = 0;
  std::thread thread_;
};

}  // namespace ovo
