// systemd (conf/systemd/ovo.service): Type=notify works because the node tells NOTIFY_SOCKET
// READY=1 once it serves and STOPPING=1 when it stops; the unit starts the node the way the node
// accepts and leaves its configuration directory writable.

#include "test/integration/http_client.hpp"
#include "test/integration/node_process.hpp"

#include <doctest/doctest.h>

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace ovo::test;
using namespace std::chrono_literals;

namespace {

/// A datagram socket standing in for systemd's notification socket.
class notify_socket {
 public:
  explicit notify_socket(const std::string& path) : path_(path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof address.sun_path - 1);
    bound_ = bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~notify_socket() {
    close(fd_);
    unlink(path_.c_str());
  }
  bool bound() const { return bound_; }
  /// Every message received within `wait`, one per line.
  std::string receive(std::chrono::milliseconds wait) {
    std::string all;
    pollfd readable{fd_, POLLIN, 0};
    while (poll(&readable, 1, static_cast<int>(wait.count())) > 0) {
      char message[4096];
      const auto got = recv(fd_, message, sizeof message, 0);
      if (got <= 0) break;
      all.append(message, static_cast<std::size_t>(got)).push_back('\n');
      wait = 100ms;  // the rest of a burst
    }
    return all;
  }

 private:
  std::string path_;
  int fd_;
  bool bound_ = false;
};

}  // namespace

TEST_CASE(
    "with NOTIFY_SOCKET set the node sends READY=1 once it serves and STOPPING=1 on SIGTERM "
    "(systemd Type=notify)") {
  const auto path = make_temp_dir() + "/notify";
  notify_socket systemd(path);
  REQUIRE(systemd.bound());
  setenv("NOTIFY_SOCKET", path.c_str(), 1);
  node_process node;
  unsetenv("NOTIFY_SOCKET");
  const auto started = systemd.receive(2s);
  CHECK(started.find("READY=1") != std::string::npos);
  CHECK(started.find("STATUS=serving REST on 127.0.0.1:" + std::to_string(node.port())) !=
        std::string::npos);
  CHECK(node.stop(SIGTERM, 10s) == std::optional<int>(0));
  CHECK(systemd.receive(2s).find("STOPPING=1") != std::string::npos);
}

TEST_CASE(
    "the systemd unit starts the node with -conf=PATH as the node accepts, as Type=notify, and "
    "keeps the configuration's directory writable for <conf>.temp") {
  std::ifstream file(OVO_SOURCE_DIR "/conf/systemd/ovo.service");
  REQUIRE(file);
  std::ostringstream text;
  text << file.rdbuf();
  const auto unit = text.str();
  auto value_of = [&](const std::string& name) {
    const auto at = unit.find("\n" + name + "=");
    REQUIRE_MESSAGE(at != std::string::npos, name << " is missing");
    const auto begin = at + name.size() + 2;
    return unit.substr(begin, unit.find('\n', begin) - begin);
  };
  CHECK(value_of("Type") == "notify");
  const auto exec = value_of("ExecStart");
  const auto conf = exec.find(" -conf=");
  REQUIRE(conf != std::string::npos);
  const auto config_path = exec.substr(conf + 7);
  const auto config_dir = config_path.substr(0, config_path.rfind('/'));
  CHECK(value_of("ReadWritePaths").find(config_dir) != std::string::npos);
  // The node takes the unit's argument form: it goes looking for that file.
  const auto run = run_ovo({"-conf=" + make_temp_dir() + "/absent.json"});
  CHECK(run.output.find("absent.json: cannot open the configuration file") != std::string::npos);
}
