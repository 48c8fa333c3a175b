#include "rest/http_handler.hpp"

#include "core/logging.hpp"
#include "core/utf8.hpp"
#include "rest/bulk_reply.hpp"
#include "rest/bulk_request.hpp"
#include "rest/dashboard_page.hpp"
#include "rest/dashboard_reply.hpp"
#include "rest/envelope.hpp"
#include "rest/error_header.hpp"
#include "rest/metrics_text.hpp"
#include "rest/percent_decode.hpp"
#include "rest/piecewise_response.hpp"
#include "rest/routes.hpp"
#include "rest/scan_query.hpp"

#include <pistache/peer.h>

#include <variant>

namespace ovo {
namespace {

using namespace Pistache;

const Http::Mime::MediaType& json_mime() {
  static const auto mime = Http::Mime::MediaType::fromString("application/json; charset=utf-8");
  return mime;
}

/// HTTP/1.1 keeps the connection unless told otherwise; HTTP/1.0 only when asked.
bool wants_keep_alive(const Http::Request& request) {
  if (auto connection = request.headers().tryGet<Http::Header::Connection>())
    return connection->control() != Http::ConnectionControl::Close;
  return request.version() == Http::Version::Http11;
}

http_method method_of(Http::Method method) {
  switch (method) {
    case Http::Method::Get:
      return http_method::get;
    case Http::Method::Post:
      return http_method::post;
    case Http::Method::Put:
      return http_method::put;
    case Http::Method::Delete:
      return http_method::del;
    default:
      return http_method::other;
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

/// The challenge of a 401 (RFC 6750).
class www_authenticate_header final : public Http::Header::Header {
 public:
  NAME("WWW-Authenticate")
  void write(std::ostream& os) const override { os << "Bearer realm=\"ovo\""; }
};

/// Probes (an orchestrator's liveness and readiness checks) need no token: they change and
/// reveal nothing.
bool is_probe(const std::string& resource) {
  return resource == "/healthz" || resource == "/readyz";
}

/// The dashboard page is static: a browser cannot send a bearer token when opening it, and its
/// figures come from /ovo/dashboard, which needs one (docs/security.md, "REST tokens").
bool is_public_page(const std::string& resource) { return resource == "/ui"; }

/// The scope of the request's bearer token, or the 401 to answer when tokens are on and it
/// has none of this node's.
std::variant<token_scope, reply> authorize(const access_tokens& tokens,
                                           const Http::Request& request) {
  if (tokens.empty()) return token_scope::read_write;
  if (is_probe(request.resource()) || is_public_page(request.resource())) return token_scope::read;
  const auto header = request.headers().tryGet<Http::Header::Authorization>();
  if (!header)
    return failure(status::unauthorized,
                   "this node needs a bearer token (Authorization: Bearer TOKEN)");
  const auto value = header->value();
  if (auto scope = tokens.scope_of(bearer_token(value))) return *scope;
  return failure(status::unauthorized, "the bearer token is not one of this node's");
}

/// Answers one request through its moved ResponseWriter, from whichever thread delivers, and
/// records the answer and its latency (GET /metrics).
class http_reply_sink final : public reply_sink {
 public:
  /// `transport`: the reactor's of the request's connection; `version`: the request's.
  http_reply_sink(Http::ResponseWriter writer, Tcp::Transport& transport, Http::Version version,
                  bool keep_alive, std::shared_ptr<request_tracker> tracker)
      : writer_(std::move(writer)),
        transport_(transport),
        version_(version),
        keep_alive_(keep_alive),
        tracker_(std::move(tracker)),
        arrived_(std::chrono::steady_clock::now()) {
    ++tracker_->in_flight;
  }

  ~http_reply_sink() override {
    // Every request gets an answer, even one whose message was dropped (an actor stopped).
    if (!delivered_) deliver(failure(status::unavailable, "the node dropped the request"));
  }

  void allow(std::string_view methods) { allow_ = methods; }

  /// The request became this operation (request_metrics::index_of; metrics count it under its
  /// name).
  void operation(std::size_t index) { operation_ = index; }

  void deliver(reply answer) override {
    if (delivered_) return;
    auto& headers = writer_.headers();
    if (answer.code == status::wrong_method) headers.add<allow_header>(allow_);
    if (answer.code == status::unauthorized) headers.add<www_authenticate_header>();
    const auto row = status_table(answer.code);
    if (answer.code != status::ok) {
      auto reason = error_header_text(answer.message);
      component_log("rest")->debug("answered {}/{}: {}", row.http, row.code, reason);
      headers.add<ovo_error_header>(std::move(reason));
    }
    send(answer.code, static_cast<Http::Code>(row.http), encode_envelope(answer), json_mime());
  }

  /// Answers 200 with an envelope encoded already (a bulk request's).
  void deliver_envelope(const std::string& body) {
    if (delivered_) return;
    send(status::ok, Http::Code::Ok, body, json_mime());
  }

  /// Answers a body as it is, with its own content type (rest/raw_response.hpp).
  void deliver_raw(const raw_response& answer) {
    if (delivered_) return;
    send(answer.http_status == 200 ? status::ok : status::unavailable,
         static_cast<Http::Code>(answer.http_status), answer.body,
         Http::Mime::MediaType::fromString(answer.content_type));
  }

 private:
  /// `outcome`: the answer as the metrics count it.
  void send(status outcome, Http::Code code, const std::string& body,
            const Http::Mime::MediaType& mime) {
    delivered_ = true;
    try {
      auto& headers = writer_.headers();
      headers.remove<Http::Header::Connection>();
      headers.add<Http::Header::Connection>(keep_alive_ ? Http::ConnectionControl::KeepAlive
                                                        : Http::ConnectionControl::Close);
      // The promise is dropped, not given a .then(): this may run on an actor thread or on
      // another reactor, and Pistache 0.0.5 resolves the promise send() returns on the
      // connection's reactor thread without locking it (the chained half of putOnWire's
      // .then). Attaching a continuation meanwhile corrupted its list of continuations:
      // SIGSEGV in Transport::asyncWriteImpl under load in a cluster, where answers come from
      // actor threads while reactors sit idle. A rejected promise without continuations is
      // simply dropped.
      if (body.size() > response_piece_bytes) {
        writer_.setMime(mime);
        send_in_pieces(writer_, transport_, version_, code, body);
      } else {
        writer_.send(code, body, mime);
      }
    } catch (const std::exception& e) {
      // The client went away or the server is closing: nobody is left to answer.
      component_log("rest")->debug("could not send a response: {}", e.what());
    }
    tracker_->answered.record(operation_, outcome, std::chrono::steady_clock::now() - arrived_);
    --tracker_->in_flight;
  }

  Http::ResponseWriter writer_;
  Tcp::Transport& transport_;  ///< with version_, for a response sent in pieces
  Http::Version version_;
  bool keep_alive_;
  bool delivered_ = false;
  std::string_view allow_;
  std::shared_ptr<request_tracker> tracker_;
  std::chrono::steady_clock::time_point arrived_;
  std::size_t operation_ = request_metrics::no_operation;
};

/// GET /metrics: the node's figures are gathered by its actors, then serialized off this thread.
void answer_metrics(const local_node& node, std::shared_ptr<http_reply_sink> sink,
                    std::shared_ptr<request_tracker> tracker) {
  node.gather_status(
      [sink = std::move(sink), tracker = std::move(tracker)](std::optional<node_status> status) {
        sink->deliver_raw({200, metrics_content_type,
                           metrics_text(tracker->answered, status, read_process_stats())});
      });
}

reply read_only_refusal() {
  return failure(status::read_only_token, "this bearer token may only read");
}

/// POST /ovo/mget and /ovo/mset: the whole request is refused (token, shape, too many entries),
/// or each entry gets its own answer in one 200 envelope (docs/protocol.md, "Bulk").
void answer_bulk(const handler_context& ctx, endpoint target, const std::string& body,
                 token_scope scope, std::shared_ptr<http_reply_sink> sink) {
  const bool writes = target == endpoint::mset;
  sink->operation(request_metrics::index_of(writes ? rest_op::mset : rest_op::mget));
  if (writes && scope == token_scope::read) {
    sink->deliver(read_only_refusal());
    return;
  }
  auto decoded = writes ? decode_mset(body, ctx.limits) : decode_mget(body, ctx.limits);
  if (auto* error = std::get_if<reply>(&decoded)) {
    sink->deliver(std::move(*error));
    return;
  }
  run_bulk(*ctx.node, std::get<std::vector<bulk_entry>>(std::move(decoded)),
           [sink = std::move(sink)](std::string answer) { sink->deliver_envelope(answer); });
}

reply body_too_large(std::size_t limit) {
  return failure(status::too_large, "body is larger than " + std::to_string(limit) + " bytes");
}

/// Per-connection bookkeeping for the input guard.
struct connection_guard {
  std::size_t request_bytes = 0;  ///< received for the request being parsed
  bool refused = false;
};
constexpr const char* guard_key = "ovo.guard";

std::shared_ptr<connection_guard> guard_of(const std::shared_ptr<Tcp::Peer>& peer) {
  if (auto existing = peer->tryGetData(guard_key))
    return std::static_pointer_cast<connection_guard>(existing);
  auto guard = std::make_shared<connection_guard>();
  peer->putData(guard_key, guard);
  return guard;
}

}  // namespace

void ovo_handler::onRequest(const Http::Request& request, Http::ResponseWriter writer) {
  const auto& ctx = *context_;
  auto sink = std::make_shared<http_reply_sink>(std::move(writer), *transport(), request.version(),
                                                wants_keep_alive(request), ctx.tracker);
  if (ctx.tracker->draining) {
    sink->deliver(failure(status::unavailable, "the node is shutting down"));
    return;
  }
  if (request.body().size() > ctx.max_body_bytes) {
    // Chunked bodies have no Content-Length for onInput to refuse early.
    sink->deliver(body_too_large(ctx.max_body_bytes));
    return;
  }
  auto authorized = authorize(ctx.tokens, request);
  if (auto* refusal = std::get_if<reply>(&authorized)) {
    sink->deliver(std::move(*refusal));
    return;
  }
  const auto match = match_route(method_of(request.method()), request.resource());
  if (!match.target) {
    sink->allow(match.allowed);
    sink->deliver(match.allowed.empty()
                      ? failure(status::unknown_path, "unknown path " + request.resource())
                      : failure(status::wrong_method,
                                "method not allowed; use " + std::string(match.allowed)));
    return;
  }
  if (*match.target == endpoint::health) {  // the process serves HTTP: that is all it says
    sink->deliver(done());
    return;
  }
  if (*match.target == endpoint::metrics) {
    answer_metrics(*ctx.node, std::move(sink), ctx.tracker);
    return;
  }
  if (*match.target == endpoint::dashboard_page) {
    sink->deliver_raw({200, "text/html; charset=utf-8", std::string(dashboard_page_html())});
    return;
  }
  if (*match.target == endpoint::dashboard_figures) {
    ctx.node->gather_figures(std::make_shared<dashboard_reply<http_reply_sink>>(std::move(sink)));
    return;
  }
  if (*match.target == endpoint::mget || *match.target == endpoint::mset) {
    answer_bulk(ctx, *match.target, request.body(), std::get<token_scope>(authorized),
                std::move(sink));
    return;
  }
  auto key = percent_decode(match.raw_key);
  if (!key || !is_valid_utf8(*key)) {
    sink->deliver(failure(status::bad_request,
                          "the key in the path is not valid UTF-8 after percent-decoding"));
    return;
  }
  auto built = *match.target == endpoint::scan
                   ? scan_command(request.query().get("cursor"), request.query().get("count"),
                                  request.query().get("match"), ctx.limits.max_key_bytes)
                   : build_command(*match.target, std::move(*key), request.body(), ctx.limits);
  if (auto* error = std::get_if<reply>(&built)) {
    sink->deliver(std::move(*error));
    return;
  }
  auto cmd = std::get<command>(std::move(built));
  sink->operation(request_metrics::index_of(cmd.kind));
  if (std::get<token_scope>(authorized) == token_scope::read && is_write_op(cmd.kind)) {
    sink->deliver(read_only_refusal());
    return;
  }
  ctx.node->route(std::move(cmd), std::move(sink));
}

void ovo_handler::onInput(const char* buffer, size_t len, const std::shared_ptr<Tcp::Peer>& peer) {
  auto guard = guard_of(peer);
  if (guard->refused) return;
  auto parser = getParser(peer);
  auto& request = parser->request;
  const auto& ctx = *context_;
  try {
    guard->request_bytes += len;
    if (!parser->feed(buffer, len)) {
      refuse_connection(peer, failure(status::too_large, "request is larger than the limit"));
      return;
    }
    const auto state = parser->parse();
    if (state == Http::Private::State::Done) {
      guard->request_bytes = 0;
      Http::ResponseWriter response(request.version(), transport(), this, peer);
      request.copyAddress(peer->address());
      peer->setIdle(false);
      onRequest(request, std::move(response));
      parser->reset();
      return;
    }
    const auto length = request.headers().tryGet<Http::Header::ContentLength>();
    if (length && length->value() > ctx.max_body_bytes) {
      refuse_connection(peer, body_too_large(ctx.max_body_bytes));
    } else if (!length && !request.headers().has<Http::Header::TransferEncoding>() &&
               guard->request_bytes > ctx.max_head_bytes) {
      refuse_connection(
          peer, failure(status::bad_request, "request line and headers exceed " +
                                                 std::to_string(ctx.max_head_bytes) + " bytes"));
    }
  } catch (const Http::HttpError& error) {
    refuse_connection(peer, failure(status::bad_request, "malformed HTTP: " + error.reason()));
  } catch (const std::exception& error) {
    refuse_connection(peer,
                      failure(status::bad_request, std::string("malformed HTTP: ") + error.what()));
  }
}

void ovo_handler::refuse_connection(const std::shared_ptr<Tcp::Peer>& peer, reply answer) {
  component_log("rest")->debug("refusing connection from {}: {}", peer->address().host(),
                               answer.message);
  guard_of(peer)->refused = true;
  auto parser = getParser(peer);
  Http::ResponseWriter writer(parser->request.version(), transport(), this, peer);
  http_reply_sink(std::move(writer), *transport(), parser->request.version(), false,
                  context_->tracker)
      .deliver(std::move(answer));
  parser->reset();
}

}  // namespace ovo
