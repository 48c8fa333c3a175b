#include "test/integration/tls_clients.hpp"

#include "test/integration/node_process.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ovo::test {

std::string make_certificates(const std::vector<std::string>& names) {
  const auto dir = make_temp_dir() + "/certs";
  std::vector<std::string> args{dir};
  args.insert(args.end(), names.begin(), names.end());
  const auto made = run_program(OVO_GEN_CERTS, args);
  REQUIRE_MESSAGE(made.exit_code == 0, made.output);
  return dir;
}

stalled_handshake::stalled_handshake(SSL_CTX* context, uint16_t port)
    : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  fcntl(fd_, F_SETFL, O_NONBLOCK);
  ssl_ = SSL_new(context);
  SSL_set_fd(ssl_, fd_);
  SSL_connect(ssl_);  // sends the ClientHello; wants to read the answer, never does
}

stalled_handshake::~stalled_handshake() {
  SSL_free(ssl_);
  close(fd_);
}

bool stalled_handshake::closed_by_server(int wait_ms) const {
  // The server's handshake answer may come first; only an end of stream means closed.
  for (int waited = 0; waited <= wait_ms; waited += 100) {
    pollfd readable{fd_, POLLIN, 0};
    if (poll(&readable, 1, 100) > 0) {
      char bytes[4096];
      const auto got = recv(fd_, bytes, sizeof bytes, 0);
      if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) return true;
    }
  }
  return false;
}

}  // namespace ovo::test
