#include "client/src/connection.hpp"

#include <strings.h>

#include <stdexcept>
#include <string_view>

namespace ovo::client {
namespace {

size_t append(char* data, size_t size, size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

/// Keeps the value of an X-Ovo-Error header line (docs/protocol.md, "Envelope").
size_t keep_error_reason(char* data, size_t size, size_t count, void* target) {
  static constexpr char name[] = "x-ovo-error:";
  const std::string_view line(data, size * count);
  if (line.size() > sizeof name - 1 && strncasecmp(line.data(), name, sizeof name - 1) == 0) {
    auto value = line.substr(sizeof name - 1);
    const auto first = value.find_first_not_of(' ');
    const auto last = value.find_last_not_of(" \r\n");
    auto& reason = *static_cast<std::string*>(target);
    reason =
        first == std::string_view::npos ? "" : std::string(value.substr(first, last - first + 1));
  }
  return size * count;
}

}  // namespace

connection::connection(const std::string& address, const options& opts)
    : base_url_((opts.https ? "https://" : "http://") + address),
      curl_(curl_easy_init()),
      headers_(nullptr) {
  if (!curl_) throw std::runtime_error("libcurl could not create a handle");
  const auto& bearer_token = opts.bearer_token;
  const long timeout_ms = opts.timeout_ms;
  if (opts.https && !opts.ca_file.empty())
    curl_easy_setopt(curl_, CURLOPT_CAINFO, opts.ca_file.c_str());
  // Pistache closes HTTP/1.1 connections that do not ask to be kept alive.
  headers_ = curl_slist_append(headers_, "Connection: keep-alive");
  headers_ = curl_slist_append(headers_, "Content-Type: application/json");
  headers_ = curl_slist_append(headers_, "Expect:");
  if (!bearer_token.empty())
    headers_ = curl_slist_append(headers_, ("Authorization: Bearer " + bearer_token).c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, keep_error_reason);
}

connection::~connection() {
  curl_slist_free_all(headers_);
  curl_easy_cleanup(curl_);
}

std::string escape(const std::string& segment) {
  // libcurl >= 7.82 escapes without a handle.
  char* escaped = curl_easy_escape(nullptr, segment.data(), static_cast<int>(segment.size()));
  std::string out = escaped ? escaped : "";
  curl_free(escaped);
  return out;
}

http_answer connection::request(const char* method, const std::string& path,
                                const std::string& body) {
  http_answer answer;
  const auto url = base_url_ + path;
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method);
  if (body.empty()) {
    curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method);
  } else {
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
  }
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &answer.error_reason);
  if (curl_easy_perform(curl_) != CURLE_OK) return {};
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

}  // namespace ovo::client
