// Makes libpistache's TLS handshake lazy, so a client that connects and stays silent cannot
// stop other HTTPS connections (pistache issue 868).
//
// Pistache 0.0.5 runs a blocking SSL_accept on its one listener thread before it hands a
// connection to a worker (Debian bounds each read of it by 10 s: N silent clients stall every
// new HTTPS connection for N x 10 s). These definitions interpose libssl's for libpistache,
// which calls them through its PLT: its SSL_accept only puts the connection in accept state,
// and the handshake runs inside the first SSL_read on the worker, driven by epoll like any
// read, bounded by Pistache's header timeout. Pistache decides from errno alone (it never
// calls SSL_get_error), so SSL_read and SSL_write on those connections translate OpenSSL's
// result into the errno it expects. Every other caller (the cluster port's TLS transport,
// libcurl) is passed to libssl unchanged.
//
// This file must be part of the executable, not of a static library: only the executable's
// definitions are found before libssl's. Layout and reasons: docs/security.md, "HTTPS".

#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>

namespace {

template <class Function>
Function libssl(const char* name) {
  return reinterpret_cast<Function>(dlsym(RTLD_NEXT, name));
}

/// Marks the connections whose handshake was deferred (the ones libpistache accepted).
int lazy_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

bool is_lazy(const SSL* ssl) { return ssl != nullptr && SSL_get_ex_data(ssl, lazy_index()); }

bool called_from_pistache(void* return_address) {
  Dl_info info{};
  return dladdr(return_address, &info) != 0 && info.dli_fname != nullptr &&
         std::strstr(info.dli_fname, "libpistache") != nullptr;
}

/// OpenSSL's result as Pistache reads it: -1 with EAGAIN to wait for epoll, 0 for a closed
/// connection, -1 with any other errno to drop the connection.
int as_pistache_expects(const SSL* ssl, int result) {
  if (result > 0) return result;
  const int saved_errno = errno;
  switch (SSL_get_error(ssl, result)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      errno = EAGAIN;
      return -1;
    case SSL_ERROR_ZERO_RETURN:
      return 0;
    case SSL_ERROR_SYSCALL:
      ERR_clear_error();
      errno = saved_errno != 0 && saved_errno != EAGAIN && saved_errno != EWOULDBLOCK ? saved_errno
                                                                                      : ECONNRESET;
      return result == 0 ? 0 : -1;
    default:  // a failed handshake or a protocol error: plain HTTP on the HTTPS port, say
      ERR_clear_error();
      errno = EPROTO;
      return -1;
  }
}

}  // namespace

extern "C" int SSL_accept(SSL* ssl) {
  if (called_from_pistache(__builtin_return_address(0))) {
    SSL_set_ex_data(ssl, lazy_index(), reinterpret_cast<void*>(1));
    SSL_set_accept_state(ssl);
    return 1;  // no I/O on the listener thread: the first SSL_read shakes hands
  }
  static const auto real = libssl<int (*)(SSL*)>("SSL_accept");
  return real(ssl);
}

extern "C" int SSL_read(SSL* ssl, void* buffer, int size) {
  static const auto real = libssl<int (*)(SSL*, void*, int)>("SSL_read");
  const int result = real(ssl, buffer, size);
  return is_lazy(ssl) ? as_pistache_expects(ssl, result) : result;
}

extern "C" int SSL_write(SSL* ssl, const void* buffer, int size) {
  // Before the handshake finished, the only write is Pistache's 408 to a client that stayed
  // silent past the header timeout: reporting it sent lets Pistache close the connection.
  if (is_lazy(ssl) && !SSL_is_init_finished(ssl)) return size;
  static const auto real = libssl<int (*)(SSL*, const void*, int)>("SSL_write");
  const int result = real(ssl, buffer, size);
  return is_lazy(ssl) ? as_pistache_expects(ssl, result) : result;
}
