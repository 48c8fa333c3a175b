#pragma once
// The REST endpoint's lifecycle: bind and serve with our options, then drain and close.

#include "actors/local_node.hpp"
#include "config/server_config.hpp"

#include <chrono>
#include <memory>

namespace Pistache::Http {
class Endpoint;
}

namespace ovo {

struct request_tracker;

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
