#pragma once
// A small libcurl client that keeps its connection alive between requests, plus raw-socket
// helpers for traffic no well-behaved client would send.

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

namespace ovo::test {

struct http_response {
  long status = 0;  ///< 0: no response
  std::string body;
  std::string headers;  ///< raw header block
  nlohmann::json envelope() const;
  /// The envelope's Code field.
  std::string code() const;
  bool has_header(const std::string& line) const;
  /// The value of header `name` (first occurrence, matched case-insensitively), or "" if absent.
  std::string header(const std::string& name) const;
};

class http_client {
 public:
  http_client();
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  http_response request(const std::string& method, const std::string& url,
                        const std::string& body = "");
  http_response get(const std::string& url) { return request("GET", url); }

  /// Sent as "Authorization: Bearer ..." with every request when not empty.
  std::string bearer_token;
  /// For https:// URLs: the CA (PEM) the server's certificate must be signed by.
  std::string ca_file;

  /// How many new TCP connections the last request opened (0 = reused).
  long new_connections() const;

 private:
  CURL* curl_;
};

/// base64 of raw bytes, for building request bodies.
std::string to_base64(const std::string& bytes);

struct raw_result {
  std::string received;
  bool closed_by_server = false;
};

/// A plain TCP connection to 127.0.0.1:port for hand-made requests.
class raw_connection {
 public:
  explicit raw_connection(uint16_t port);
  ~raw_connection();
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  bool connected() const { return connected_; }
  /// Sends all of `bytes`; false when the peer is gone.
  bool send_all(const std::string& bytes);
  /// Reads until the peer closes, `wait` passes, or `enough` bytes arrived (0 = no limit).
  raw_result receive(std::chrono::milliseconds wait, std::size_t enough = 0);

 private:
  int fd_;
  bool connected_ = false;
};

/// Sends raw bytes to 127.0.0.1:port and reads until the peer closes or `wait` passes.
raw_result raw_exchange(uint16_t port, const std::string& bytes,
                        std::chrono::milliseconds wait = std::chrono::milliseconds(1000));

}  // namespace ovo::test
