#include "test/integration/netns_lab.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace ovo::test {
namespace {

/// Runs a shell command; gives its exit code and output (stdout and stderr).
std::pair<int, std::string> shell(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::array<char, 512> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe)) output += buffer.data();
  const int status = ::pclose(pipe);
  return {status, output};
}

/// Runs `command` and fails the test with its output when it does not succeed.
void must(const std::string& command) {
  const auto [status, output] = shell(command);
  if (status != 0)
    throw std::runtime_error("network lab: `" + command + "` failed: " + output +
                             " (these tests need root, iproute2 and iptables: "
                             "tools/install_deps.sh)");
}

}  // namespace

netns_lab::netns_lab(int tag, int nodes) : tag_(tag), nodes_(nodes) {
  REQUIRE_MESSAGE((tag >= 1 && tag <= 250), "netns_lab tag out of range");
  // Another suite (another checkout) may be running the same test: without the lock, each
  // would delete the other's namespaces as leftovers. Released when this process exits too:
  // close-on-exec, so that no node it starts holds it after a crash of the test.
  const auto lock_dir = std::filesystem::temp_directory_path() / "ovo-test-netns";
  std::filesystem::create_directories(lock_dir);
  const auto lock_path = (lock_dir / ("tag-" + std::to_string(tag_))).string();
  lock_fd_ = ::open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  REQUIRE_MESSAGE(lock_fd_ >= 0, "cannot open " << lock_path);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(150);
  while (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < give_up,
                    lock_path << " is still locked after 150 s: another run of this test holds "
                                 "it (fuser -v "
                              << lock_path << " names the process)");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  remove_everything();  // leftovers of a run that was killed
  const auto bridge = "ovo" + std::to_string(tag_) + "br";
  const auto subnet = "10.213." + std::to_string(tag_) + ".";
  try {
    must("ip link add " + bridge + " type bridge");
    must("ip addr add " + subnet + "1/24 dev " + bridge);
    must("ip link set " + bridge + " up");
    for (int i = 0; i < nodes_; ++i) {
      const auto veth = "ovo" + std::to_string(tag_) + "v" + std::to_string(i);
      must("ip netns add " + ns(i));
      must("ip link add " + veth + " type veth peer name eth0 netns " + ns(i));
      must("ip link set " + veth + " master " + bridge + " up");
      must("ip -n " + ns(i) + " addr add " + address(i) + "/24 dev eth0");
      must("ip -n " + ns(i) + " link set eth0 up");
      must("ip -n " + ns(i) + " link set lo up");
    }
  } catch (const std::exception& e) {
    remove_everything();
    FAIL(std::string(e.what()));
  }
}

netns_lab::~netns_lab() {
  remove_everything();
  ::close(lock_fd_);  // releases the tag's lock
}

void netns_lab::remove_everything() {
  // Deleting one end of a veth pair deletes both; a deleted namespace takes its rules along
  // (its devices only once the kernel has freed it, hence the explicit link deletes first).
  for (int i = 0; i < nodes_; ++i) {
    shell("ip link del ovo" + std::to_string(tag_) + "v" + std::to_string(i));
    shell("ip netns del " + ns(i));
  }
  shell("ip link del ovo" + std::to_string(tag_) + "br");
}

std::string netns_lab::ns(int i) const {
  return "ovo" + std::to_string(tag_) + "n" + std::to_string(i);
}

std::string netns_lab::address(int i) const {
  return "10.213." + std::to_string(tag_) + "." + std::to_string(i + 2);
}

std::vector<test_cluster::node_place> netns_lab::places() const {
  std::vector<test_cluster::node_place> out;
  for (int i = 0; i < nodes_; ++i) out.push_back({address(i), ns(i)});
  return out;
}

void netns_lab::drop_rules(int a, int b, bool add) {
  const auto action = add ? " -A " : " -D ";
  const auto in_ns = "ip netns exec " + ns(a) + " iptables -w";
  must(in_ns + action + "INPUT -s " + address(b) + " -j DROP");
  must(in_ns + action + "OUTPUT -d " + address(b) + " -j DROP");
}

void netns_lab::cut(int a, int b) {
  drop_rules(a, b, true);
  drop_rules(b, a, true);
}

void netns_lab::mend(int a, int b) {
  drop_rules(a, b, false);
  drop_rules(b, a, false);
}

void netns_lab::isolate(int a) {
  for (int b = 0; b < nodes_; ++b)
    if (b != a) cut(a, b);
}

void netns_lab::heal() {
  for (int i = 0; i < nodes_; ++i) must("ip netns exec " + ns(i) + " iptables -w -F");
}

}  // namespace ovo::test
