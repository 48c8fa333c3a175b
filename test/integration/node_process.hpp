#pragma once
// Starts the real build/ovo on free loopback ports from a generated config, and stops it.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace ovo::test {

/// A TCP port free on every address, from a block of ports no other test process uses.
uint16_t free_port();

struct node_options {
  std::string name = "testnode";
  std::string host = "127.0.0.1";  ///< REST host; "" binds every interface
  /// Where the node is reached (REST and APIHost): loopback, or its network namespace's address.
  std::string address = "127.0.0.1";
  std::string netns;                 ///< run inside this network namespace ("" = the test's own)
  std::string settings_json = "{}";  ///< the "Settings" object
  uint16_t port = 0;                 ///< REST port; 0 picks a free one
  uint16_t api_port = 0;             ///< node-to-node port; 0 picks a free one
  std::string topology_json = R"({"Nodes":[]})";  ///< the "Topology" object
  std::string stepbrothers_json = "[]";           ///< ServerNode.Stepbrothers
  std::string twins_json = "[]";                  ///< ServerNode.Twins
  std::string config_file;  ///< start from this file instead (port must be set)
  /// The node serves HTTPS (settings_json names RestCertFile and RestKeyFile): url() says
  /// https and the start-up probe trusts this CA.
  std::string https_ca_file;
};

class node_process {
 public:
  /// Writes the config, starts the node and waits until it answers HTTP (fails the test if not).
  explicit node_process(node_options options = {});
  ~node_process();
  node_process(const node_process&) = delete;
  node_process& operator=(const node_process&) = delete;

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string url(const std::string& path) const;
  const std::string& dir() const { return dir_; }
  const std::string& config_path() const { return config_path_; }
  std::string log() const;

  /// Sends `signal` and waits up to `timeout` for the exit. Gives the exit code, or nullopt when
  /// the process did not exit normally in time.
  std::optional<int> stop(int signal, std::chrono::milliseconds timeout);
  bool running();
  /// Sends `signal` without waiting (SIGSTOP / SIGCONT to freeze and thaw the node).
  void signal(int signal);

 private:
  std::string dir_, config_path_, log_path_, address_, scheme_ = "http";
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

/// How a program run ended: its exit code (-1: killed) and its output.
struct run_result {
  int exit_code;
  std::string output;
};

/// Runs build/ovo with `args` to completion (at most 10 s).
run_result run_ovo(const std::vector<std::string>& args);

/// Runs build/ovoctl with `args` and `input` on stdin (at most 60 s); output is stdout+stderr.
run_result run_ovoctl(const std::vector<std::string>& args, const std::string& input = "");

/// Runs any program to completion (killed after `timeout`).
run_result run_program(const char* binary, const std::vector<std::string>& args,
                       const std::string& input = "",
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// A fresh temporary directory for a test.
std::string make_temp_dir();

/// Writes `text` to `path`.
void write_file(const std::string& path, const std::string& text);
std::string read_file(const std::string& path);

}  // namespace ovo::test
