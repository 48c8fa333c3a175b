#include "test/integration/node_process.hpp"

#include "test/integration/http_client.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace ovo::test {
namespace {

using namespace std::chrono_literals;

/// Starts `binary` with `args`, output to `log_path`, input from `input_path` (or nothing).
pid_t spawn(const char* binary, const std::vector<std::string>& args, const std::string& log_path,
            const std::string& input_path = "/dev/null") {
  const pid_t pid = fork();
  if (pid == 0) {
    const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    const int input = ::open(input_path.c_str(), O_RDONLY);
    dup2(input, STDIN_FILENO);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp(binary, argv.data());
    _exit(127);
  }
  return pid;
}

/// Waits up to `timeout` for `pid`; gives its exit code, or nullopt (still running / killed).
std::optional<int> wait_exit(pid_t pid, std::chrono::milliseconds timeout, bool* exited) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      *exited = true;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return std::nullopt;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(5ms);
  }
}

/// A serverconf.json for one test node.
std::string generated_config(const node_options& options, uint16_t port, uint16_t api_port) {
  return R"({"ServerNode":{"Node":{"Name":")" + options.name + R"(","Host":")" + options.host +
         R"(","Port":)" + std::to_string(port) + R"(,"APIHost":")" + options.address +
         R"(","APIPort":)" + std::to_string(api_port) + R"(},"Twins":)" + options.twins_json +
         R"(,"Stepbrothers":)" + options.stepbrothers_json + R"(},"Topology":)" +
         options.topology_json + R"(,"Debug":)" + (getenv("OVO_TEST_DEBUG") ? "true" : "false") +
         R"(,"Settings":)" + options.settings_json + "}";
}

/// This process's own block of ports: the first block, from a pid-derived start, whose lock
/// file this process holds. The lock (released when the process exits, however it exits) is
/// what keeps two test processes of `ctest -j2` apart: by pid alone, one pair in 300 shared a
/// block, and a port one test had freed (a node killed, about to restart) could then be taken
/// by the other test's node.
int own_port_block(int blocks) {
  const auto dir = std::filesystem::temp_directory_path() / "ovo-test-ports";
  std::error_code ignored;
  std::filesystem::create_directories(dir, ignored);
  const int start = static_cast<int>(getpid() % blocks);
  for (int i = 0; i < blocks; ++i) {
    const int block = (start + i) % blocks;
    const auto path = (dir / ("block-" + std::to_string(block))).string();
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) continue;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return block;  // fd stays open: the lock is ours
    ::close(fd);
  }
  FAIL("every port block under " << dir << " is locked by another test process");
  return 0;
}

}  // namespace

uint16_t free_port() {
  // Ports below Linux's ephemeral range (32768+) are never chosen by the kernel, so only other
  // test processes could take them, and each test process takes its own block.
  constexpr int block_size = 40, blocks = 300, first_port = 20000;
  static const int block_start = first_port + own_port_block(blocks) * block_size;
  static int next = 0;
  for (int tries = 0; tries < block_size; ++tries) {
    const auto port = static_cast<uint16_t>(block_start + next++ % block_size);
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);  // stricter than loopback: free on every address
    addr.sin_port = htons(port);
    const bool free = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (free) return port;
  }
  FAIL("no free port in this test process's block");
  return 0;
}

std::string make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "ovo-test-XXXXXX").string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

node_process::node_process(node_options options) {
  dir_ = make_temp_dir();
  config_path_ = dir_ + "/serverconf.json";
  log_path_ = dir_ + "/node.log";
  port_ = options.port != 0 ? options.port : free_port();
  const auto api_port = options.api_port != 0 ? options.api_port : free_port();
  if (options.config_file.empty())
    write_file(config_path_, generated_config(options, port_, api_port));
  else
    config_path_ = options.config_file;
  address_ = options.address;
  if (!options.https_ca_file.empty()) scheme_ = "https";
  if (options.netns.empty())
    pid_ = spawn(OVO_BINARY, {"-conf=" + config_path_}, log_path_);
  else  // `ip netns exec` execs the node: the pid is the node's, signals reach it
    pid_ = spawn("ip", {"netns", "exec", options.netns, OVO_BINARY, "-conf=" + config_path_},
                 log_path_);
  http_client client;
  client.ca_file = options.https_ca_file;
  for (int attempt = 0; attempt < 200; ++attempt) {  // up to 10 s
    const auto status = client.get(url("/ovo/cluster/me")).status;
    if (status == 200 || status == 401) return;  // 401: it serves, and wants a token
    if (!running()) break;
    std::this_thread::sleep_for(50ms);
  }
  FAIL("node did not start; its log:\n" << log());
}

node_process::~node_process() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  if (!getenv("OVO_TEST_KEEP")) std::filesystem::remove_all(dir_, ignored);
}

std::string node_process::url(const std::string& path) const {
  return scheme_ + "://" + address_ + ":" + std::to_string(port_) + path;
}

std::string node_process::log() const { return read_file(log_path_); }

std::optional<int> node_process::stop(int signal, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  kill(pid_, signal);
  bool exited = false;
  auto code = wait_exit(pid_, timeout, &exited);
  if (exited) pid_ = -1;
  return code;
}

void node_process::signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

bool node_process::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

run_result run_ovo(const std::vector<std::string>& args) { return run_program(OVO_BINARY, args); }

run_result run_ovoctl(const std::vector<std::string>& args, const std::string& input) {
  return run_program(OVOCTL_BINARY, args, input, 60s);
}

run_result run_program(const char* binary, const std::vector<std::string>& args,
                       const std::string& input, std::chrono::milliseconds timeout) {
  const auto dir = make_temp_dir();
  const auto log_path = dir + "/out.log";
  const auto input_path = dir + "/in.txt";
  write_file(input_path, input);
  const pid_t pid = spawn(binary, args, log_path, input_path);
  bool exited = false;
  auto code = wait_exit(pid, timeout, &exited);
  if (!exited) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  run_result result{code.value_or(-1), read_file(log_path)};
  std::filesystem::remove_all(dir);
  return result;
}

}  // namespace ovo::test
