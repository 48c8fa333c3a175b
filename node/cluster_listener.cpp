#include "node/cluster_listener.hpp"

#include "config/defaults.hpp"
#include "core/logging.hpp"

#include <caf/io/basp_broker.hpp>
#include <caf/io/middleman.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ovo {
namespace {

/// A partial handshake is looked at again after this (poll would report its bytes at once).
constexpr auto partial_handshake_recheck = std::chrono::milliseconds(20);
/// Accepting waits this long after running out of descriptors.
constexpr auto accept_pause = std::chrono::milliseconds(100);

std::string describe_peer(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = "?";
  uint16_t port = 0;
  if (address.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &in.sin_addr, host, sizeof(host));
    port = ntohs(in.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &in6.sin6_addr, host, sizeof(host));
    port = ntohs(in6.sin6_port);
  }
  return std::string(host) + ":" + std::to_string(port);
}

/// A non-blocking listening socket on host:port; an empty host listens on every address.
int listen_on(const std::string& host, uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const auto service = std::to_string(port);
  if (int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found))
    throw std::runtime_error("cannot resolve " + host + ": " + gai_strerror(rc));
  std::string last_error = "no address";
  int fd = -1;
  // With every address wanted, an IPv6 socket that also takes IPv4 comes first.
  std::vector<addrinfo*> candidates;
  for (auto* a = found; a; a = a->ai_next) candidates.push_back(a);
  std::stable_sort(candidates.begin(), candidates.end(), [&](addrinfo* a, addrinfo* b) {
    return host.empty() && a->ai_family == AF_INET6 && b->ai_family != AF_INET6;
  });
  for (auto* a : candidates) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int on = 1, off = 0;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    if (a->ai_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
    if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, SOMAXCONN) == 0) break;
    last_error = std::strerror(errno);
    close(fd);
    fd = -1;
  }
  freeaddrinfo(found);
  if (fd < 0) throw std::runtime_error(last_error);
  return fd;
}

}  // namespace

cluster_listener::cluster_listener(caf::actor_system& system, caf::strong_actor_ptr published,
                                   std::set<std::string> interface, const std::string& host,
                                   uint16_t port, first_bytes_check check, socket_adopter adopt)
    : broker_(system.middleman().named_broker<caf::io::basp_broker>(caf::atom("BASP"))),
      check_(check),
      adopt_(std::move(adopt)),
      published_(std::move(published)),
      interface_(std::move(interface)) {
  listen_fd_ = listen_on(host, port);
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &length);
  port_ = bound.ss_family == AF_INET6
              ? ntohs(reinterpret_cast<const sockaddr_in6&>(bound).sin6_port)
              : ntohs(reinterpret_cast<const sockaddr_in&>(bound).sin_port);
  if (pipe2(wake_fds_, O_CLOEXEC | O_NONBLOCK) != 0) {
    close(listen_fd_);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  thread_ = std::thread([this] { run(); });
}

cluster_listener::~cluster_listener() {
  const char stop = 1;
  [[maybe_unused]] auto written = write(wake_fds_[1], &stop, 1);
  thread_.join();
  for (auto& p : pending_) close(p.fd);
  close(listen_fd_);
  close(wake_fds_[0]);
  close(wake_fds_[1]);
}

void cluster_listener::run() {
  std::vector<pollfd> polled;
  for (;;) {
    const auto now = clock::now();
    const bool accepting = accept_paused_until_ <= now;
    polled.assign(
        {{wake_fds_[0], POLLIN, 0}, {listen_fd_, static_cast<short>(accepting ? POLLIN : 0), 0}});
    auto wake_at = accepting ? now + std::chrono::seconds(1) : accept_paused_until_;
    for (const auto& p : pending_) {
      const bool look_now = p.next_look <= now;
      polled.push_back({p.fd, static_cast<short>(look_now ? POLLIN : 0), 0});
      wake_at = std::min(wake_at, look_now ? p.deadline : p.next_look);
    }
    const auto wait =
        std::chrono::duration_cast<std::chrono::milliseconds>(wake_at - now).count() + 1;
    if (poll(polled.data(), polled.size(), static_cast<int>(std::max<int64_t>(0, wait))) < 0 &&
        errno != EINTR)
      component_log("node")->error("cluster port: poll failed: {}", std::strerror(errno));
    if (polled[0].revents) return;
    std::vector<pending> still;
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      auto& p = pending_[i];
      const bool ready = polled[i + 2].revents != 0;
      const auto later = clock::now();
      if ((ready || p.next_look <= later) && look(p)) continue;
      if (p.deadline <= later) {
        refuse(p, p.sent_anything ? "no complete handshake within 2 s" : "sent nothing within 2 s");
        continue;
      }
      still.push_back(p);
    }
    pending_ = std::move(still);
    if (polled[1].revents & POLLIN) accept_all();
  }
}

void cluster_listener::accept_all() {
  for (;;) {
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      // Out of descriptors or memory: the pending connection stays queued and the listening
      // socket readable, so accepting pauses rather than spinning on it.
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        const auto now = clock::now();
        accept_paused_until_ = now + accept_pause;
        if (now - last_accept_error_log_ >= defaults::cluster_refusal_log_interval) {
          last_accept_error_log_ = now;
          component_log("node")->warn(
              "cluster port: cannot accept connections: {}; retrying every {} ms (raise the "
              "open-files limit?)",
              std::strerror(errno), accept_pause.count());
        }
      }
      return;
    }
    const auto now = clock::now();
    pending p{fd, describe_peer(address), now + defaults::cluster_handshake_timeout, now};
    if (look(p)) continue;  // a peer's handshake is usually there already
    // Full: the oldest waiting connection makes room, so a flood of silent connections cannot
    // keep a peer out (its handshake arrives with the connection).
    if (pending_.size() >= defaults::cluster_handshakes_waiting_max) {
      refuse(pending_.front(),
             "too many connections waiting for their handshake (the oldest "
             "is closed)");
      pending_.erase(pending_.begin());
    }
    pending_.push_back(std::move(p));
  }
}

bool cluster_listener::look(pending& p) {
  uint8_t bytes[basp_header_size + basp_handshake_max_payload];
  const auto got = recv(p.fd, bytes, sizeof(bytes), MSG_PEEK | MSG_DONTWAIT);
  if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    // Closed before a handshake: a reachability probe (tcp_probe.hpp) when it sent nothing.
    if (p.sent_anything)
      refuse(p, "closed before completing its handshake");
    else
      close(p.fd);
    return true;
  }
  if (got < 0) return false;
  p.sent_anything = true;
  std::string why;
  switch (check_(bytes, static_cast<std::size_t>(got), &why)) {
    case handshake_verdict::valid: {
      // Still unread: the connection reads its first bytes itself, as if CAF had accepted it.
      auto scribe = adopt_(p.fd);
      if (!scribe) {
        refuse(p, "could not start the connection");
        return true;
      }
      caf::anon_send(broker_, caf::publish_atom_v, std::move(scribe), port_, published_,
                     interface_);
      component_log("node")->debug("cluster port: {} handed to the peer protocol", p.peer);
      return true;
    }
    case handshake_verdict::invalid:
      refuse(p, why);
      return true;
    case handshake_verdict::incomplete:
      p.next_look = clock::now() + partial_handshake_recheck;
      return false;
  }
  return false;
}

void cluster_listener::refuse(pending& p, const std::string& why) {
  close(p.fd);
  const auto now = clock::now();
  if (now - last_refusal_log_ < defaults::cluster_refusal_log_interval) {
    ++refusals_unlogged_;
    return;
  }
  component_log("node")->warn(
      "cluster port: closed the connection from {}: {}{}; peer links are not affected", p.peer, why,
      refusals_unlogged_ > 0
          ? " (and " + std::to_string(refusals_unlogged_) + " more refused since the last line)"
          : "");
  last_refusal_log_ = now;
  refusals_unlogged_ = 0;
}

}  // namespace ovo
