#pragma once
// The Pistache handler: reads requests off the wire (with limits Pistache lacks), turns each
// into one command for the node, and hands the actor a sink that answers the client.

#include "actors/local_node.hpp"
#include "core/access_tokens.hpp"
#include "rest/request_decoder.hpp"
#include "rest/request_metrics.hpp"

#include <pistache/http.h>

#include <atomic>
#include <memory>

namespace ovo {

/// Requests between arrival and answer, whether new ones are still taken, and what every
/// answer was (GET /metrics).
struct request_tracker {
  std::atomic<int64_t> in_flight{0};
  std::atomic<bool> draining{false};
  request_metrics answered;
};

struct handler_context {
  const local_node* node;
  request_limits limits;
  std::size_t max_body_bytes;
  std::size_t max_head_bytes;  ///< request line + headers
  std::shared_ptr<request_tracker> tracker;
  access_tokens tokens;  ///< Settings.TokenFile's; empty: no token needed
};

class ovo_handler : public Pistache::Http::Handler {
 public:
  HTTP_PROTOTYPE(ovo_handler)

  explicit ovo_handler(std::shared_ptr<const handler_context> context)
      : context_(std::move(context)) {}

  void onRequest(const Pistache::Http::Request& request,
                 Pistache::Http::ResponseWriter writer) override;

 private:
  /// Replaces Pistache 0.0.5's own input loop (same steps, public API only) to add what it
  /// lacks: a body over the limit is refused as soon as its Content-Length is read, an endless
  /// request head is cut off, and a refused connection's further input is dropped unparsed.
  /// (Pistache re-parses everything after its own 413 as new requests: quadratic CPU.)
  void onInput(const char* buffer, size_t len,
               const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;

  /// Answers `answer` with Connection: Close and ignores the rest of this connection.
  void refuse_connection(const std::shared_ptr<Pistache::Tcp::Peer>& peer, reply answer);

  std::shared_ptr<const handler_context> context_;
};

}  // namespace ovo
