#include "actors/tls_transport.hpp"

#include <caf/io/basp_broker.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/middleman_actor_impl.hpp>
#include <caf/io/network/default_multiplexer.hpp>
#include <caf/io/network/interfaces.hpp>
#include <caf/io/network/stream_impl.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <csignal>
#include <stdexcept>

namespace ovo {
namespace {

using caf::io::network::default_multiplexer;
using caf::io::network::native_socket;
using caf::io::network::operation;
using caf::io::network::rw_state;

std::string openssl_reason() {
  char text[256] = "unknown reason";
  if (auto code = ERR_get_error()) ERR_error_string_n(code, text, sizeof(text));
  return text;
}

std::shared_ptr<SSL_CTX> make_context(const tls_files& files) {
  std::shared_ptr<SSL_CTX> context{SSL_CTX_new(TLS_method()), SSL_CTX_free};
  auto* ctx = context.get();
  auto fail = [](const std::string& what) {
    throw std::runtime_error(what + ": " + openssl_reason());
  };
  if (!ctx) fail("cannot create a TLS context");
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(ctx, files.certificate.c_str()) != 1)
    fail("cannot load the certificate " + files.certificate);
  const std::string mismatch =
      "the key " + files.key + " does not belong to the certificate " + files.certificate;
  if (SSL_CTX_use_PrivateKey_file(ctx, files.key.c_str(), SSL_FILETYPE_PEM) != 1)
    fail(ERR_GET_REASON(ERR_peek_error()) == X509_R_KEY_VALUES_MISMATCH
             ? mismatch
             : "cannot load the private key " + files.key);
  if (SSL_CTX_check_private_key(ctx) != 1) fail(mismatch);
  if (SSL_CTX_load_verify_locations(ctx, files.ca.c_str(), nullptr) != 1)
    fail("cannot load the CA certificate " + files.ca);
  // The cipher list caf_openssl uses with certificates, so both can talk.
  if (SSL_CTX_set_cipher_list(ctx, "HIGH:!aNULL:!MD5") != 1) fail("cannot set the ciphers");
  // Both sides present a certificate of the cluster's CA; no host name check (the CA is the
  // cluster's own: whoever holds one of its certificates is a node).
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  return context;
}

/// One connection's TLS state.
class session {
 public:
  enum class step_result { done, want_read, want_write, failed };

  explicit session(SSL_CTX* context) : ssl_(SSL_new(context)) {}
  ~session() { SSL_free(ssl_); }
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  bool start(native_socket fd, bool server) {
    if (!ssl_ || SSL_set_fd(ssl_, fd) != 1) return false;
    if (server)
      SSL_set_accept_state(ssl_);
    else
      SSL_set_connect_state(ssl_);
    return step() != step_result::failed;
  }

  bool established() const { return established_; }

  /// Advances the handshake as far as the socket allows.
  step_result step() {
    if (established_) return step_result::done;
    ERR_clear_error();
    const int rc = SSL_do_handshake(ssl_);
    if (rc == 1) {
      established_ = true;
      return step_result::done;
    }
    switch (SSL_get_error(ssl_, rc)) {
      case SSL_ERROR_WANT_READ:
        return step_result::want_read;
      case SSL_ERROR_WANT_WRITE:
        return step_result::want_write;
      default:
        return step_result::failed;
    }
  }

  /// Reads or writes what the socket allows once the handshake is done (CAF's rw_state
  /// contract: success with 0 bytes = try again later).
  rw_state transfer(bool writing, size_t& done, void* buffer, size_t size) {
    done = 0;
    switch (step()) {
      case step_result::failed:
        return rw_state::failure;
      case step_result::want_read:
      case step_result::want_write:
        return writing && size == 0 ? rw_state::indeterminate : rw_state::success;
      case step_result::done:
        break;
    }
    if (size == 0) return rw_state::indeterminate;
    ERR_clear_error();
    const int n = writing ? SSL_write(ssl_, buffer, static_cast<int>(size))
                          : SSL_read(ssl_, buffer, static_cast<int>(size));
    if (n > 0) {
      done = static_cast<size_t>(n);
      return rw_state::success;
    }
    const int error = SSL_get_error(ssl_, n);
    return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE ? rw_state::success
                                                                         : rw_state::failure;
  }

  size_t buffered() const { return static_cast<size_t>(SSL_pending(ssl_)); }

 private:
  SSL* ssl_;
  bool established_ = false;
};
using session_ptr = std::shared_ptr<session>;

/// How CAF's stream reads and writes: through the session.
struct tls_policy {
  session_ptr tls;
  rw_state read_some(size_t& done, native_socket, void* buffer, size_t size) {
    return tls->transfer(false, done, buffer, size);
  }
  rw_state write_some(size_t& done, native_socket, const void* buffer, size_t size) {
    return tls->transfer(true, done, const_cast<void*>(buffer), size);
  }
  bool must_read_more(native_socket, size_t threshold) { return tls->buffered() >= threshold; }
};

/// CAF's stream over TLS, without issue 1060's spin: while the handshake waits for the peer,
/// a writable socket would wake the multiplexer again and again (BASP's first message is
/// already queued), so the write interest is parked until the handshake is done.
class tls_stream : public caf::io::network::stream_impl<tls_policy> {
 public:
  using super = caf::io::network::stream_impl<tls_policy>;
  tls_stream(default_multiplexer& mpx, native_socket fd, session_ptr tls)
      : super(mpx, fd, tls_policy{tls}), tls_(std::move(tls)) {}

  void handle_event(operation op) override {
    if (op == operation::write && !tls_->established() &&
        tls_->step() == session::step_result::want_read) {
      backend().del(operation::write, fd(), this);
      parked_ = true;
      return;
    }
    super::handle_event(op);
    if (parked_ && tls_->established()) {
      parked_ = false;
      backend().add(operation::write, fd(), this);
    }
  }

 private:
  /// The multiplexer confirms a removed interest here, and CAF's stream then drops the
  /// manager (the scribe) it kept for it. A parked write is not finished: it keeps its manager,
  /// or the scribe could be destroyed while parked or after writing resumed, with the
  /// multiplexer still holding this stream ("pure virtual method called", 1 TLS test in 5
  /// under load). If reading ends meanwhile, the parked write ends with it.
  void removed_from_loop(operation op) override {
    if (op == operation::write && parked_) return;
    if (op == operation::read && parked_) {
      parked_ = false;
      super::removed_from_loop(operation::write);  // may release the last reference but one
    }
    super::removed_from_loop(op);  // may destroy this stream: nothing may follow
  }

  session_ptr tls_;
  bool parked_ = false;
};

/// A connection as CAF's brokers use it (the shape of caf_openssl's scribe).
class tls_scribe : public caf::io::scribe {
 public:
  tls_scribe(default_multiplexer& mpx, native_socket fd, session_ptr tls)
      : caf::io::scribe(caf::io::network::conn_hdl_from_socket(fd)),
        stream_(mpx, fd, std::move(tls)) {}

  void configure_read(caf::io::receive_policy::config config) override {
    stream_.configure_read(config);
    if (!launched_) {
      launched_ = true;
      stream_.start(this);
      stream_.force_empty_write(this);  // drives the handshake before there is data to send
    }
  }
  void ack_writes(bool enable) override { stream_.ack_writes(enable); }
  std::vector<char>& wr_buf() override { return stream_.wr_buf(); }
  std::vector<char>& rd_buf() override { return stream_.rd_buf(); }
  void graceful_shutdown() override {
    stream_.graceful_shutdown();
    detach(&stream_.backend(), false);
  }
  void flush() override { stream_.flush(this); }
  std::string addr() const override {
    auto address = caf::io::network::remote_addr_of_fd(stream_.fd());
    return address ? *address : "";
  }
  uint16_t port() const override {
    auto port = caf::io::network::remote_port_of_fd(stream_.fd());
    return port ? *port : 0;
  }
  void add_to_loop() override { stream_.activate(this); }
  void remove_from_loop() override { stream_.passivate(); }

 private:
  bool launched_ = false;
  tls_stream stream_;
};

default_multiplexer& multiplexer_of(caf::actor_system& system) {
  return static_cast<default_multiplexer&>(system.middleman().backend());
}

/// CAF's middleman actor, connecting over TLS. It publishes nothing: the cluster port's
/// listener (node/cluster_listener.hpp) accepts connections and adopts them.
class tls_middleman : public caf::io::middleman_actor_impl {
 public:
  tls_middleman(caf::actor_config& config, std::shared_ptr<SSL_CTX> context, caf::actor broker)
      : caf::io::middleman_actor_impl(config, std::move(broker)), context_(std::move(context)) {}

  const char* name() const override { return "tls_middleman"; }

 protected:
  caf::expected<caf::io::scribe_ptr> connect(const std::string& host, uint16_t port) override {
    auto fd = caf::io::network::new_tcp_connection(host, port);
    if (!fd) return std::move(fd.error());
    caf::io::network::nonblocking(*fd, true);
    auto tls = std::make_shared<session>(context_.get());
    if (!tls->start(*fd, false)) {
      caf::io::network::close_socket(*fd);
      return caf::make_error(caf::sec::cannot_connect_to_node, "TLS could not start");
    }
    return caf::make_counted<tls_scribe>(multiplexer_of(system()), *fd, std::move(tls));
  }

  caf::expected<caf::io::doorman_ptr> open(uint16_t, const char*, bool) override {
    return caf::make_error(caf::sec::cannot_open_port,
                           "TLS ports are opened by the cluster listener");
  }

 private:
  std::shared_ptr<SSL_CTX> context_;
};

}  // namespace

tls_transport::tls_transport(caf::actor_system& system, const tls_files& files)
    : system_(system), context_(make_context(files)) {
  // OpenSSL writes with write(2): a peer gone mid-write must not end the process.
  std::signal(SIGPIPE, SIG_IGN);
  auto broker = system.middleman().named_broker<caf::io::basp_broker>(caf::atom("BASP"));
  middleman_ = system.spawn<tls_middleman, caf::detached + caf::hidden>(context_, broker);
}

tls_transport::~tls_transport() { caf::anon_send_exit(middleman_, caf::exit_reason::kill); }

caf::io::scribe_ptr tls_transport::adopt(int fd) const {
  caf::io::network::nonblocking(fd, true);
  auto tls = std::make_shared<session>(context_.get());
  if (!tls->start(fd, true)) return nullptr;
  return caf::make_counted<tls_scribe>(multiplexer_of(system_), fd, std::move(tls));
}

}  // namespace ovo
