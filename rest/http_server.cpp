#include "rest/http_server.hpp"

#include "core/logging.hpp"
#include "rest/http_handler.hpp"

#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <limits>
#include <thread>

namespace ovo {
using namespace Pistache;

http_server::http_server(const local_node& node, const server_config& config)
    : node_(node), config_(config), tracker_(std::make_shared<request_tracker>()) {}

http_server::~http_server() = default;

void http_server::start() {
  const auto& self = config_.self;
  const auto& settings = config_.settings;
  const Address address = self.host.empty() ? Address(Ipv4::any(), Port(self.port))
                                            : Address(self.host, Port(self.port));
  const unsigned threads = settings.rest_threads != 0
                               ? settings.rest_threads
                               : std::max(1u, std::thread::hardware_concurrency());
  auto options = Http::Endpoint::options()
                     .threads(static_cast<int>(threads))
                     .flags(Tcp::Options::ReuseAddr | Tcp::Options::NoDelay)
                     .maxRequestSize(settings.max_body_bytes + defaults::max_header_bytes)
                     .maxResponseSize(std::numeric_limits<uint32_t>::max())
                     .headerTimeout(defaults::header_timeout)
                     .bodyTimeout(defaults::body_timeout);
  auto context = std::make_shared<handler_context>(handler_context{
      &node_, request_limits{settings.max_key_bytes, settings.max_value_bytes},
      settings.max_body_bytes, defaults::max_header_bytes, tracker_, settings.rest_tokens});
  endpoint_ = std::make_unique<Http::Endpoint>(address);
  endpoint_->init(options);
  // The handshake runs on a worker, bounded by the header timeout: rest/lazy_tls_handshake.cpp.
  if (settings.rest_tls()) endpoint_->useSSL(settings.rest_cert_file, settings.rest_key_file);
  endpoint_->setHandler(Http::make_handler<ovo_handler>(std::move(context)));
  endpoint_->serveThreaded();
  component_log("rest")->info("REST API on {}:{} ({}) with {} threads",
                              self.host.empty() ? "*" : self.host, self.port,
                              settings.rest_tls() ? "HTTPS" : "HTTP", threads);
}

void http_server::stop(std::chrono::milliseconds grace) {
  if (!endpoint_) return;
  tracker_->draining = true;
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (tracker_->in_flight > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (tracker_->in_flight > 0)
    component_log("rest")->warn("closing with {} requests still unanswered",
                                tracker_->in_flight.load());
  endpoint_->shutdown();
  endpoint_.reset();
}

}  // namespace ovo
