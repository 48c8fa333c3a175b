#pragma once
// The REST front end: Pistache threads decode each request into one command, hand it to the
// owning actor with a sink, and return at once. The actor answers through the sink.

#include <atomic>
#include <chrono>
#include <memory>

#include "local_node.hpp"
#include "server_config.hpp"

namespace Pistache::Http {
class Endpoint;
}

namespace ovo {

/// Requests between arrival and answer, and whether new ones are still taken.
struct request_tracker {
  std::atomic<int64_t> in_flight{0};
  std::atomic<bool> draining{false};
};

class http_server {
 public:
  http_server(const local_node& node, const server_config& config);
  ~http_server();

  /// Binds and serves on background threads. Throws std::runtime_error when it cannot bind.
  void start();

  /// Refuses new requests (503), waits up to `grace` for in-flight ones to be answered, then
  /// closes every connection.
  void stop(std::chrono::milliseconds grace);

 private:
  const local_node& node_;
  const server_config& config_;
  std::shared_ptr<request_tracker> tracker_;
  std::unique_ptr<Pistache::Http::Endpoint> endpoint_;
};

}  // namespace ovo
