#pragma once
// One keep-alive HTTP/1.1 connection to one node (libcurl easy handle, reused per request).

#include "ovo/client.hpp"

#include <curl/curl.h>

#include <string>

namespace ovo::client {

struct http_answer {
  long status = 0;  ///< 0: no answer (connection refused, timeout)
  std::string body;
  std::string error_reason;  ///< the X-Ovo-Error header of an error answer
};

/// Percent-encodes one path segment (a key).
std::string escape(const std::string& segment);

class connection {
 public:
  /// `address`: "host:port"; `opts`: timeout, bearer token, HTTPS.
  connection(const std::string& address, const options& opts);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  /// `path` must already be percent-encoded.
  http_answer request(const char* method, const std::string& path, const std::string& body = "");

 private:
  std::string base_url_;
  CURL* curl_;
  curl_slist* headers_;
};

}  // namespace ovo::client
