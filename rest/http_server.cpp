#include "http_server.hpp"

#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <limits>
#include <thread>

#include "envelope.hpp"
#include "logging.hpp"
#include "percent_decode.hpp"
#include "request_decoder.hpp"
#include "routes.hpp"
#include "utf8.hpp"

namespace ovo {
namespace {

using namespace Pistache;

const Http::Mime::MediaType& json_mime() {
  static const auto mime = Http::Mime::MediaType::fromString("application/json; charset=utf-8");
  return mime;
}

/// Pistache 0.0.5 closes HTTP/1.1 connections that send no Connection header unless the
/// response says keep-alive, so we decide it here as HTTP/1.1 intends.
bool wants_keep_alive(const Http::Request& request) {
  if (auto connection = request.headers().tryGet<Http::Header::Connection>())
    return connection->control() != Http::ConnectionControl::Close;
  return request.version() == Http::Version::Http11;
}

http_method method_of(Http::Method method) {
  switch (method) {
    case Http::Method::Get: return http_method::get;
    case Http::Method::Post: return http_method::post;
    case Http::Method::Put: return http_method::put;
    case Http::Method::Delete: return http_method::del;
    default: return http_method::other;
  }
}

/// The Allow header of a 405, with the methods as routes.cpp lists them. (Pistache writes only
/// typed headers; raw ones are dropped.)
class allow_header final : public Http::Header::Header {
 public:
  NAME("Allow")
  explicit allow_header(std::string_view methods) : methods_(methods) {}
  void write(std::ostream& os) const override { os << methods_; }

 private:
  std::string_view methods_;
};

/// Answers one request through its moved ResponseWriter, from whichever thread delivers.
class http_reply_sink final : public reply_sink {
 public:
  http_reply_sink(Http::ResponseWriter writer, bool keep_alive,
                  std::shared_ptr<request_tracker> tracker)
      : writer_(std::move(writer)), keep_alive_(keep_alive), tracker_(std::move(tracker)) {
    ++tracker_->in_flight;
  }

  ~http_reply_sink() override {
    // Every request gets an answer, even one whose message was dropped (an actor stopped).
    if (!delivered_) deliver(failure(status::unavailable, "the node dropped the request"));
  }

  void allow(std::string_view methods) { allow_ = methods; }

  void deliver(reply answer) override {
    if (delivered_) return;
    delivered_ = true;
    try {
      auto& headers = writer_.headers();
      if (keep_alive_) {
        // Pistache pre-sets "Connection: Close" when the request had no Connection header.
        headers.remove<Http::Header::Connection>();
        headers.add<Http::Header::Connection>(Http::ConnectionControl::KeepAlive);
      }
      if (answer.code == status::wrong_method) headers.add<allow_header>(allow_);
      const auto code = static_cast<Http::Code>(status_table(answer.code).http);
      writer_.send(code, encode_envelope(answer), json_mime())
          .then([](ssize_t) {}, Async::IgnoreException);
    } catch (const std::exception& e) {
      // The client went away or the server is closing: nobody is left to answer.
      component_log("rest")->debug("could not send a response: {}", e.what());
    }
    --tracker_->in_flight;
  }

 private:
  Http::ResponseWriter writer_;
  bool keep_alive_;
  bool delivered_ = false;
  std::string_view allow_;
  std::shared_ptr<request_tracker> tracker_;
};

struct handler_context {
  const local_node* node;
  request_limits limits;
  std::size_t max_body_bytes;
  std::shared_ptr<request_tracker> tracker;
};

class ovo_handler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(ovo_handler)

  explicit ovo_handler(std::shared_ptr<const handler_context> context)
      : context_(std::move(context)) {}

  void onRequest(const Http::Request& request, Http::ResponseWriter writer) override {
    const auto& ctx = *context_;
    auto sink = std::make_shared<http_reply_sink>(std::move(writer), wants_keep_alive(request),
                                                  ctx.tracker);
    if (ctx.tracker->draining) {
      sink->deliver(failure(status::unavailable, "the node is shutting down"));
      return;
    }
    if (request.body().size() > ctx.max_body_bytes) {
      sink->deliver(failure(status::too_large, "body is larger than " +
                                                   std::to_string(ctx.max_body_bytes) + " bytes"));
      return;
    }
    const auto match = match_route(method_of(request.method()), request.resource());
    if (!match.target) {
      sink->allow(match.allowed);
      sink->deliver(match.allowed.empty()
                        ? failure(status::unknown_path, "unknown path " + request.resource())
                        : failure(status::wrong_method, "method not allowed; use " +
                                                            std::string(match.allowed)));
      return;
    }
    auto key = percent_decode(match.raw_key);
    if (!key || !is_valid_utf8(*key)) {
      sink->deliver(failure(status::bad_request, "the key in the path is not valid UTF-8 after "
                                                 "percent-decoding"));
      return;
    }
    auto built = build_command(*match.target, std::move(*key), request.body(), ctx.limits);
    if (auto* error = std::get_if<reply>(&built)) {
      sink->deliver(std::move(*error));
      return;
    }
    ctx.node->route(std::get<command>(std::move(built)), std::move(sink));
  }

 private:
  std::shared_ptr<const handler_context> context_;
};

}  // namespace

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
      settings.max_body_bytes, tracker_});
  endpoint_ = std::make_unique<Http::Endpoint>(address);
  endpoint_->init(options);
  endpoint_->setHandler(Http::make_handler<ovo_handler>(std::move(context)));
  endpoint_->serveThreaded();
  component_log("rest")->info("REST API on {}:{} with {} threads",
                              self.host.empty() ? "*" : self.host, self.port, threads);
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
